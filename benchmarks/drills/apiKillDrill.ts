// Drill 4: the api process generating an answer is SIGKILLed mid-stream. Its
// client resumes with Last-Event-ID through nginx (the deploy's config, both
// instances upstream), which passes the dead one by and reaches the other (as
// the web app's resume does): it must get the tokens it missed, then an `error` event
// once the dead owner's generation lease runs out (30 s), and the answer must
// end `failed` with exactly the streamed text; nothing left `streaming`.
import type { Config } from '../../server/platform/config.ts'
import type { Sql } from '../../server/platform/db.ts'
import { makeUser } from '../../testing/factories.ts'
import { readSse, tokenText, type SseEvent } from '../../testing/sseClient.ts'
import { startNginx } from '../../testing/startNginx.ts'
import { startAnthropicEmulator, startApi, type Child } from '../processes.ts'
import { LONG_TRANSCRIPTS, seedCollection } from '../seedCollection.ts'
import { drillReport, type DrillResult } from './drillResult.ts'

export async function apiKillDrill(o: { databaseUrl: string; sql: Sql; config: Config; timeoutMs: number }): Promise<DrillResult> {
  const report = drillReport('api SIGKILL mid-stream')
  const children: Child[] = []
  let stopNginx = async () => {}
  try {
    const emulator = await startAnthropicEmulator(['--ttft-ms', '200', '--tokens-per-second', '20'])
    children.push(emulator)
    const env = { ANTHROPIC_API_KEY: 'drill', ANTHROPIC_BASE_URL: emulator.url, LLM_MAX_TOKENS: '4000' }
    const [doomed, survivor] = await Promise.all([startApi(o.databaseUrl, env), startApi(o.databaseUrl, env)])
    children.push(doomed, survivor)
    const nginx = await startNginx([doomed.url, survivor.url].map((u) => new URL(u).host))
    stopNginx = () => nginx.stop()
    const user = await makeUser(o.sql, o.config, 'api-kill')
    const { collectionId } = await seedCollection(o.sql, o.config, user.id, LONG_TRANSCRIPTS[0]!)
    const json = { ...user.bearer, 'content-type': 'application/json' }
    const conversation = (await (
      await fetch(`${doomed.url}/api/conversations`, { method: 'POST', headers: json, body: JSON.stringify({ collectionId }) })
    ).json()) as { id: string }
    const asked = await fetch(`${doomed.url}/api/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ content: 'Explain everything this talk says, in detail.' }),
    })
    const first = await readSse(asked, { stopAfter: (_e, all) => all.filter((e) => e.event === 'token').length >= 10 })
    const messageId = first[0]!.data.messageId as string
    report.count('tokensBeforeKill', first.filter((e) => e.event === 'token').length)
    doomed.proc.kill('SIGKILL')
    const killedAt = Date.now()
    await doomed.proc.exited
    // The client reconnects through nginx from the last event it saw; nginx finds the dead instance refusing and goes on to the other.
    const rest = await readSse(
      await fetch(`${nginx.url}/api/conversations/${conversation.id}/messages/${messageId}/stream`, {
        headers: { ...user.bearer, 'last-event-id': String(first.at(-1)!.id) },
        signal: AbortSignal.timeout(o.timeoutMs),
      }),
    ).catch((err): SseEvent[] => {
      report.check(false, `the resumed stream did not end: ${String((err as Error).message ?? err).slice(0, 120)}`)
      return []
    })
    report.count('endedInS', Math.round((Date.now() - killedAt) / 1000))
    const end = rest.at(-1)
    report.count('endEvent', end ? `${end.event}${end.data?.code ? `:${end.data.code}` : ''}` : 'none')
    report.check(
      end?.event === 'error' && end.data?.code === 'generation_interrupted',
      'the resumed stream did not end with generation_interrupted',
    )
    const all = [...first, ...rest]
    const ids = all.map((e) => e.id)
    report.check(
      ids.every((id, i) => i === 0 || id === null || id > ids[i - 1]!),
      'event ids went backwards or repeated',
    )
    const seen = tokenText(all)
    const [stored] = await o.sql<{ status: string; content: string }[]>`select status, content from messages where id = ${messageId}`
    report.count('status', stored?.status ?? 'missing')
    report.count('storedChars', stored?.content.length ?? 0)
    report.count('seenChars', seen.length)
    report.check(stored?.status === 'failed', `the answer is ${stored?.status}, not failed`)
    // The client saw at most what was stored: tokens it got before the kill are all in the stored text, in order.
    report.check(!!stored && stored.content.startsWith(tokenText(first)), 'tokens seen before the kill are missing from the stored answer')
    report.check(!!stored && end?.data?.partialContent === stored.content, 'the error event and the stored answer differ')
    // Before and after the kill together: every stored token seen exactly once.
    report.check(!!stored && seen === stored.content, 'the tokens seen across the kill differ from the stored answer (lost or repeated)')
    const [left] = await o.sql<{ n: number }[]>`select count(*)::int as n from messages where status = 'streaming'`
    report.count('streamingLeft', left!.n)
    report.check(left!.n === 0, 'answers left streaming')
  } catch (err) {
    report.check(false, `drill error: ${String((err as Error).message ?? err).slice(0, 200)}`)
  } finally {
    await stopNginx().catch(() => {})
    for (const c of children.reverse()) await c.stop().catch(() => {})
  }
  return report.result()
}
