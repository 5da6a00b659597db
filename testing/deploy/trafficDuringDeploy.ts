// Continuous, bounded traffic through nginx while a deploy runs: plain HTTP
// requests and answers streamed as SSE, every other one left after a few
// tokens and resumed with Last-Event-ID (a closed tab coming back). Every
// status is counted; at the end each answer's streamed text is compared with
// the message the database stored.
import { api, askAndFollow, site, type Account, type FollowedAnswer } from './siteClient.ts'

export type TrafficReport = {
  seconds: number
  requests: number
  statuses: Record<number, number>
  serverErrors: number
  /** Each 5xx: when, which request, and the start of its body (the problem's code and detail). */
  serverErrorDetails: string[]
  networkErrors: string[]
  /** GETs that failed without a response and were sent again (and then counted by what the retry got). */
  retried: number
  answers: number
  resumed: number
  incomplete: string[]
  mismatched: string[]
}

const PATHS = ['/readyz', '/api/collections', '/api/conversations?limit=5']

/** Starts the traffic; `stop()` ends it (it also ends by itself after maxSeconds) and checks the answers. */
export function startTraffic(
  account: Account,
  conversationIds: string[],
  options: { httpWorkers?: number; pauseMs?: number; maxSeconds?: number } = {},
) {
  const started = performance.now()
  const deadline = started + (options.maxSeconds ?? 900) * 1000
  let stopping = false
  const going = () => !stopping && performance.now() < deadline
  const statuses: Record<number, number> = {}
  const networkErrors: string[] = []
  const answers: { conversationId: string; answer: FollowedAnswer }[] = []
  const failures: string[] = []
  const serverErrorDetails: string[] = []
  const count = (status: number) => void (statuses[status] = (statuses[status] ?? 0) + 1)
  const at = () => `${((performance.now() - started) / 1000).toFixed(1)} s`

  let retried = 0
  const httpWorker = async (w: number) => {
    for (let i = w; going(); i++) {
      const path = PATHS[i % PATHS.length]!
      // A GET that fails without a response is sent once more, as browsers do
      // (RFC 9112 §9.3.1): a kept-alive connection can close just as a request
      // goes out on it, e.g. when nginx reloads. Only a failed retry counts.
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          const res = await site(path, { headers: await account.auth() })
          const body = await res.text()
          count(res.status)
          if (res.status >= 500) serverErrorDetails.push(`${at()} GET ${path}: ${res.status} ${body.slice(0, 300)}`)
          break
        } catch (err) {
          if (attempt === 0) retried++
          else networkErrors.push(`${at()} GET ${path}, retried: ${err}`)
        }
      }
      await Bun.sleep(options.pauseMs ?? 25)
    }
  }
  const sseWorker = async (conversationId: string, w: number) => {
    for (let n = 1; going(); n++) {
      try {
        const answer = await askAndFollow(account, conversationId, `Question ${n} of stream ${w}: what does a rolling deploy replace?`, {
          dropAfterTokens: n % 2 === 0 ? 3 + (n % 5) : undefined,
          onStatus: (status, body) => {
            count(status)
            if (status >= 500) serverErrorDetails.push(`${at()} stream ${w}, question ${n}: ${status} ${body ?? ''}`)
          },
        })
        answers.push({ conversationId, answer })
      } catch (err) {
        failures.push(`${at()} stream ${w}, question ${n}: ${err}`)
      }
    }
  }
  const workers = [
    ...Array.from({ length: options.httpWorkers ?? 3 }, (_, w) => httpWorker(w)),
    ...conversationIds.map((id, w) => sseWorker(id, w)),
  ]

  return {
    /** Answers finished so far (to wait for a warmed-up state before deploying). */
    answered: () => answers.length,
    async stop(): Promise<TrafficReport> {
      stopping = true
      await Promise.all(workers)
      const seconds = (performance.now() - started) / 1000
      const incomplete = [...failures]
      const mismatched: string[] = []
      for (const { answer } of answers) {
        const ids = answer.events.map((e) => e.id)
        if (!answer.complete)
          incomplete.push(`${answer.messageId}: ended with ${answer.events.at(-1)?.event} after ${answer.resumes} resumes`)
        else if (ids.some((id, i) => id !== i + 1)) mismatched.push(`${answer.messageId}: event ids not 1..n: ${ids.join(',')}`)
      }
      for (const conversationId of conversationIds) {
        const { messages } = await api<{ messages: { id: string; status: string; content: string }[] }>(
          account,
          'GET',
          `/api/conversations/${conversationId}`,
        )
        const stored = new Map(messages.map((m) => [m.id, m]))
        for (const { answer } of answers.filter((a) => a.conversationId === conversationId && a.answer.complete)) {
          const m = stored.get(answer.messageId)
          if (m?.status !== 'complete' || m.content !== answer.text)
            mismatched.push(
              `${answer.messageId}: stored ${m?.status} ${JSON.stringify(m?.content.slice(0, 80))} vs streamed ${JSON.stringify(answer.text.slice(0, 80))}`,
            )
        }
      }
      const requests = Object.values(statuses).reduce((a, b) => a + b, 0)
      const serverErrors = Object.entries(statuses)
        .filter(([s]) => Number(s) >= 500)
        .reduce((a, [, n]) => a + n, 0)
      return {
        seconds,
        requests,
        statuses,
        serverErrors,
        serverErrorDetails,
        networkErrors,
        retried,
        answers: answers.length,
        resumed: answers.filter((a) => a.answer.resumes > 0).length,
        incomplete,
        mismatched,
      }
    },
  }
}

/**
 * Everything that went wrong for a user, in one value: a test compares it with
 * `NOTHING_WRONG`, so a failure shows all of it at once (the 5xx with their
 * bodies, dropped connections, unfinished and mismatched answers), not only
 * the first kind checked.
 */
export function whatWentWrong(r: TrafficReport, options: { mismatched?: boolean } = {}) {
  const wrong = { serverErrors: r.serverErrorDetails, networkErrors: r.networkErrors, incomplete: r.incomplete, mismatched: r.mismatched }
  return options.mismatched === false ? { ...wrong, mismatched: [] } : wrong
}
export const NOTHING_WRONG = { serverErrors: [], networkErrors: [], incomplete: [], mismatched: [] }

/** One line for the figures table. */
export function describeTraffic(r: TrafficReport): string {
  return `${r.requests} requests (${Object.entries(r.statuses)
    .map(([s, n]) => `${n}×${s}`)
    .join(
      ', ',
    )}), ${r.answers} answers streamed (${r.resumed} resumed), ${r.serverErrors} 5xx, ${r.networkErrors.length} network errors (${r.retried} GETs retried), ${r.incomplete.length} incomplete, ${r.mismatched.length} mismatched`
}
