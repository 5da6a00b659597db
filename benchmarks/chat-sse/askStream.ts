// One streamed question through the real api, read by our own SSE client: when
// it started, when the first token arrived, when `done` came, and why it
// failed if it did. Shared by the burst and the open-loop chat benchmarks.
import { readSse, type SseEvent } from '../../testing/sseClient.ts'

export type StreamResult = {
  ok: boolean
  error: string | null
  startedAt: number
  firstTokenAt: number | null
  doneAt: number | null
  outputTokens: number
  text: string
}

export async function askStream(
  url: string,
  bearer: Record<string, string>,
  conversationId: string,
  question: string,
  timeoutMs: number,
): Promise<StreamResult> {
  const r: StreamResult = {
    ok: false,
    error: null,
    startedAt: performance.now(),
    firstTokenAt: null,
    doneAt: null,
    outputTokens: 0,
    text: '',
  }
  const abort = AbortSignal.timeout(timeoutMs)
  try {
    const res = await fetch(`${url}/api/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ content: question }),
      signal: abort,
    })
    if (res.status !== 200) {
      r.error = `HTTP ${res.status}`
      await res.body?.cancel()
      return r
    }
    const events = await readSse(res, {
      onEvent: (e: SseEvent) => {
        if (e.event === 'token') {
          r.firstTokenAt ??= performance.now()
          r.text += e.data.text
        }
      },
    })
    const last = events.at(-1)
    if (last?.event === 'done') {
      r.doneAt = performance.now()
      r.outputTokens = last.data.usage?.outputTokens ?? 0
      r.ok = r.firstTokenAt !== null && r.outputTokens > 0
      if (!r.ok) r.error = 'done without tokens'
    } else r.error = last?.event === 'error' ? `error event: ${JSON.stringify(last.data).slice(0, 120)}` : 'stream ended without done'
  } catch (err) {
    r.error = (err as Error).name === 'TimeoutError' ? 'timeout' : String((err as Error).message ?? err).slice(0, 120)
  }
  return r
}

/** Failures counted by reason, e.g. "3× timeout; 1× HTTP 503". */
export function failureSummary(results: readonly StreamResult[]): string {
  const errors = new Map<string, number>()
  for (const r of results) if (!r.ok) errors.set(r.error!, (errors.get(r.error!) ?? 0) + 1)
  return [...errors].map(([e, c]) => `${c}× ${e}`).join('; ')
}
