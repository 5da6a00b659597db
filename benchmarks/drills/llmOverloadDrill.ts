// Drill 3: Claude is overloaded mid-stream. Every answer's stream breaks with
// an `overloaded_error` after a few tokens while several users ask at once,
// with billing on (the Stripe emulator, free plan). Each answer must end with
// an `error` event, keep exactly the text that was streamed (stored `failed`),
// be charged once (its partial text was delivered) and never be generated
// twice (the SDK does not retry a stream that has started); nothing is left
// `streaming` or holding a charge.
import { join } from 'node:path'
import Stripe from 'stripe'
import { loadCatalogue } from '../../server/billing/catalogue.ts'
import { syncCatalogue } from '../../server/billing/catalogueSync.ts'
import type { Config } from '../../server/platform/config.ts'
import type { Sql } from '../../server/platform/db.ts'
import { STRIPE_KEY, WEBHOOK_SECRET } from '../../testing/billingStack.ts'
import { makeUser } from '../../testing/factories.ts'
import { readSse, tokenText } from '../../testing/sseClient.ts'
import { startStripeEmulator } from '../../testing/stripe/emulator.ts'
import { startAnthropicEmulator } from '../../testing/anthropic/emulator.ts'
import { DEFAULT_SCRIPT } from '../../testing/anthropic/script.ts'
import { startApi, type Child } from '../processes.ts'
import { seedCollection, TRANSCRIPTS_DIR } from '../seedCollection.ts'
import { drillReport, type DrillResult } from './drillResult.ts'

const QUESTIONS_PER_USER = 40

type Answer = { messageId: string | null; end: string; tokens: number; streamed: string }

export async function llmOverloadDrill(o: {
  databaseUrl: string
  sql: Sql
  config: Config
  clients: number
  seconds: number
  failAfterTokens: number
}): Promise<DrillResult> {
  const report = drillReport('LLM overloaded mid-stream')
  const children: Child[] = []
  const stripeEmulator = await startStripeEmulator()
  const stops: (() => Promise<void>)[] = [() => stripeEmulator.stop()]
  try {
    await syncCatalogue(new Stripe(STRIPE_KEY, stripeEmulator.sdkOptions), loadCatalogue())
    // In this process, so its requests can be counted: a stream that broke must not be asked for again.
    const anthropic = await startAnthropicEmulator({
      defaultScript: { ...DEFAULT_SCRIPT, ttftMs: 200, tokensPerSecond: 40, failAfterTokens: o.failAfterTokens },
    })
    stops.push(() => anthropic.stop())
    const api = await startApi(o.databaseUrl, {
      ANTHROPIC_API_KEY: 'drill',
      ANTHROPIC_BASE_URL: anthropic.url,
      STRIPE_SECRET_KEY: STRIPE_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: stripeEmulator.url,
    })
    children.push(api)
    const transcript = join(TRANSCRIPTS_DIR, 'videojs__captions.en.vtt')
    const users = await Promise.all(
      Array.from({ length: o.clients }, async (_, i) => {
        const user = await makeUser(o.sql, o.config, `overload-${i}`)
        const { collectionId } = await seedCollection(o.sql, o.config, user.id, transcript)
        return { user, collectionId }
      }),
    )
    const answers: Answer[] = []
    const until = Date.now() + o.seconds * 1000
    const client = async ({ user, collectionId }: (typeof users)[number]) => {
      const json = { ...user.bearer, 'content-type': 'application/json' }
      // Under the free plan's 50 messages a month: a refusal (402) is not what this drill is about.
      for (let asked = 0; asked < QUESTIONS_PER_USER && Date.now() < until; asked++) {
        const created = await fetch(`${api.url}/api/conversations`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ collectionId }),
        })
        const { id } = (await created.json()) as { id: string }
        const res = await fetch(`${api.url}/api/conversations/${id}/messages`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ content: 'How do captions work in this player?' }),
          signal: AbortSignal.timeout(60_000),
        })
        if (res.status !== 200) {
          answers.push({ messageId: null, end: `http ${res.status}`, tokens: 0, streamed: '' })
          continue
        }
        const events = await readSse(res).catch(() => [])
        const last = events.at(-1)
        answers.push({
          messageId: res.headers.get('x-message-id'),
          end: last ? `${last.event}${last.data?.code ? `:${last.data.code}` : ''}` : 'none',
          tokens: events.filter((e) => e.event === 'token').length,
          streamed: tokenText(events),
        })
      }
    }
    await Promise.all(users.map(client))
    const ends = new Map<string, number>()
    for (const a of answers) ends.set(a.end, (ends.get(a.end) ?? 0) + 1)
    report.count('answers', answers.length)
    report.count('ends', [...ends].map(([end, n]) => `${end}:${n}`).join('/'))
    report.check(answers.length > 0, 'no answer was asked')
    report.check(
      answers.every((a) => a.end === 'error:llm_failed' && a.tokens > 0),
      'an answer did not end with llm_failed after its first tokens',
    )
    // Partial kept: the stored answer is exactly what its stream carried.
    const ids = answers.flatMap((a) => (a.messageId ? [a.messageId] : []))
    await settle(o.sql, ids)
    const stored = new Map(
      (await o.sql<{ id: string; status: string; content: string }[]>`select id, status, content from messages where id = any(${ids})`).map(
        (m) => [m.id, m],
      ),
    )
    const mismatched = answers.filter((a) => {
      const m = a.messageId ? stored.get(a.messageId) : undefined
      return !m || m.status !== 'failed' || m.content !== a.streamed || m.content.length === 0
    })
    report.count('partialKept', answers.length - mismatched.length)
    report.check(mismatched.length === 0, `${mismatched.length} answers not stored failed with exactly their streamed text`)
    // Charged once: one settled reservation per answer, counter and ledger equal to the answers.
    const [charges] = await o.sql<{ settled: number; held: number; refunded: number; references: number }[]>`
      select count(*) filter (where status = 'settled')::int as settled,
             count(*) filter (where status = 'held')::int as held,
             count(*) filter (where status = 'refunded')::int as refunded,
             count(distinct reference)::int as "references"
        from usage_reservations where dimension = 'messages' and reference = any(${ids})`
    const userIds = users.map((u) => u.user.id)
    const [usage] = await o.sql<{ counter: number; ledger: number }[]>`
      select coalesce((select sum(used) from usage_counters where user_id = any(${userIds}) and dimension = 'messages'), 0)::int as counter,
             coalesce((select sum(amount) from usage_ledger where user_id = any(${userIds}) and dimension = 'messages'), 0)::int as ledger`
    report.count('charged', charges!.settled)
    report.count('counter', usage!.counter)
    report.count('ledger', usage!.ledger)
    report.check(
      charges!.settled === ids.length && charges!.references === ids.length && charges!.held === 0 && charges!.refunded === 0,
      `charges: ${JSON.stringify(charges)} for ${ids.length} answers`,
    )
    report.check(usage!.counter === ids.length && usage!.ledger === ids.length, `usage ${JSON.stringify(usage)} for ${ids.length} answers`)
    const [left] = await o.sql<{ n: number }[]>`select count(*)::int as n from messages where id = any(${ids}) and status = 'streaming'`
    // Streaming calls only: the answers (a model call the product makes for itself does not stream).
    const modelCalls = anthropic.requests.filter((r) => (r.body as { stream?: boolean } | null)?.stream === true).length
    report.count('modelCalls', modelCalls)
    report.check(modelCalls === ids.length, `${modelCalls} model calls for ${ids.length} answers: a broken stream was asked again`)
    report.count('streamingLeft', left!.n)
    report.check(left!.n === 0, 'answers left streaming')
    report.check(api.proc.exitCode === null, 'the api process exited')
  } catch (err) {
    report.check(false, `drill error: ${String((err as Error).message ?? err).slice(0, 200)}`)
  } finally {
    for (const c of children.reverse()) await c.stop().catch(() => {})
    for (const stop of stops.reverse()) await stop().catch(() => {})
  }
  return report.result()
}

/** Waits (bounded) until the answers have left `streaming` and their charges are no longer held. */
async function settle(sql: Sql, ids: string[]): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const [row] = await sql<{ n: number }[]>`
      select (select count(*) from messages where id = any(${ids}) and status = 'streaming')
           + (select count(*) from usage_reservations where reference = any(${ids}) and status = 'held') as n`
    if (Number(row!.n) === 0) return
    await Bun.sleep(100)
  }
}
