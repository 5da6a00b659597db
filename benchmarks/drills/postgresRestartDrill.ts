// Drill 1: Postgres stops for 10 s under chat and upload load, on a cluster of
// its own (KT_PG_DIR in a temp dir, so nothing else on the box loses its
// database). The api must answer 503 + Retry-After while it is down (never
// 500), come back without a restart, and nothing may be lost: every accepted
// upload ends ready, no answer stays `streaming`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { createSql } from '../../server/platform/db.ts'
import { makeUser } from '../../testing/factories.ts'
import { readSse } from '../../testing/sseClient.ts'
import { API_JWT_SECRET, apiConfig, freePort, REPO, startAnthropicEmulator, startApi, startChild, type Child } from '../processes.ts'
import { LONG_TRANSCRIPTS, seedCollection, TRANSCRIPTS_DIR } from '../seedCollection.ts'
import { drillReport, type DrillResult } from './drillResult.ts'

const pgLocal = (dir: string, cmd: string) =>
  Bun.$`bash ${join(REPO, 'scripts/pg-local.sh')} ${cmd}`.env({ ...process.env, KT_PG_DIR: dir }).quiet()

export async function postgresRestartDrill(options: { downSeconds: number; clients: number }): Promise<DrillResult> {
  const report = drillReport('Postgres restart under load')
  const dir = mkdtempSync(join(tmpdir(), 'kt-drill-pg-'))
  const children: Child[] = []
  try {
    const admin = (await pgLocal(dir, 'start').text()).trim().split('\n').at(-1)!
    const a = postgres(admin, { max: 1, onnotice: () => {} })
    await a`create database kt_drill`
    await a.end()
    const url = admin.replace(/\/postgres$/, '/kt_drill')
    const emulator = await startAnthropicEmulator(['--ttft-ms', '300', '--tokens-per-second', '40'])
    children.push(emulator)
    const env = { ANTHROPIC_API_KEY: 'drill', ANTHROPIC_BASE_URL: emulator.url }
    const api = await startApi(url, { ...env, LOG_LEVEL: 'warn' })
    children.push(api)
    const supervisorPort = freePort()
    children.push(
      await startChild(
        'jobs/supervisor.ts',
        {
          NODE_ENV: 'production',
          LOG_LEVEL: 'error',
          JWT_SECRET: API_JWT_SECRET,
          DATABASE_URL: url,
          WORKERS_MIN: '1',
          WORKERS_MAX: '2',
          WORKERS_CHECK_SECONDS: '1',
          SUPERVISOR_METRICS_PORT: String(supervisorPort),
          ...env,
        },
        { port: supervisorPort, readyPath: '/metrics', timeoutMs: 60_000 },
      ),
    )
    const sql = createSql(url, { max: 2 })
    const config = apiConfig(url)
    const user = await makeUser(sql, config, 'drill')
    const seeded = await seedCollection(sql, config, user.id, LONG_TRANSCRIPTS[3]!)
    const statuses: { phase: 'before' | 'down' | 'after'; status: number; retryAfter: boolean; at: number }[] = []
    let phase: 'before' | 'down' | 'after' = 'before'
    let running = true
    const uploads: string[] = []
    const upload = readFileSync(join(TRANSCRIPTS_DIR, 'videojs__captions.en.vtt'))
    const record = (res: Response | null) =>
      statuses.push({ phase, status: res?.status ?? 0, retryAfter: res?.headers.has('retry-after') ?? false, at: performance.now() })
    const client = async (i: number) => {
      while (running) {
        const kind = i % 4
        const res = await (async () => {
          if (kind === 0) {
            const form = new FormData()
            form.append('file', new File([upload], 'captions.vtt', { type: 'text/vtt' }))
            const r = await fetch(`${api.url}/api/collections/${seeded.collectionId}/videos/transcripts`, {
              method: 'POST',
              headers: user.bearer,
              body: form,
            })
            if (r.ok) uploads.push(((await r.clone().json()) as { id: string }).id)
            return r
          }
          if (kind === 1) {
            const c = await fetch(`${api.url}/api/conversations`, {
              method: 'POST',
              headers: { ...user.bearer, 'content-type': 'application/json' },
              body: JSON.stringify({ collectionId: seeded.collectionId }),
            })
            if (c.status !== 201) return c
            const { id } = (await c.json()) as { id: string }
            const r = await fetch(`${api.url}/api/conversations/${id}/messages`, {
              method: 'POST',
              headers: { ...user.bearer, 'content-type': 'application/json' },
              body: JSON.stringify({ content: 'What is diskcache?' }),
            })
            if (r.status === 200) await readSse(r.clone()).catch(() => [])
            return r
          }
          return fetch(`${api.url}/api/collections`, { headers: user.bearer })
        })().catch(() => null)
        record(res)
        await res?.body?.cancel().catch(() => {})
        await Bun.sleep(200)
      }
    }
    const load = Promise.all(Array.from({ length: options.clients }, (_, i) => client(i)))
    await Bun.sleep(5000)
    phase = 'down'
    await pgLocal(dir, 'stop')
    await Bun.sleep(options.downSeconds * 1000)
    await pgLocal(dir, 'start')
    phase = 'after'
    const backAt = performance.now()
    await Bun.sleep(15_000)
    running = false
    await load
    const by = (p: string, f: (s: (typeof statuses)[number]) => boolean) => statuses.filter((s) => s.phase === p && f(s)).length
    report.count(
      'requestsDown',
      by('down', () => true),
    )
    report.count(
      '503Down',
      by('down', (s) => s.status === 503),
    )
    report.count('500s', statuses.filter((s) => s.status >= 500 && s.status !== 503).length)
    report.count('noResponse', statuses.filter((s) => s.status === 0).length)
    report.count('503WithoutRetryAfter', statuses.filter((s) => s.status === 503 && !s.retryAfter).length)
    // From Postgres accepting connections again to the first request answered without an error.
    const firstOk = statuses.find((s) => s.phase === 'after' && s.status > 0 && s.status < 400)
    report.count('firstOkAfterMs', firstOk ? Math.round(firstOk.at - backAt) : 'never')
    const lastAfter = statuses.filter((s) => s.phase === 'after').slice(-20)
    report.check(by('down', (s) => s.status === 503) > 0, 'no 503 while the database was down')
    report.check(
      statuses.every((s) => s.status < 500 || s.status === 503),
      'a 5xx other than 503',
    )
    report.check(
      statuses.every((s) => s.status !== 503 || s.retryAfter),
      'a 503 without Retry-After',
    )
    report.check(
      lastAfter.length > 0 && lastAfter.every((s) => s.status < 400),
      `not recovered: last statuses ${lastAfter.map((s) => s.status).join(',')}`,
    )
    report.check(
      api.proc.exitCode === null,
      `the api process exited (${api.proc.exitCode ?? api.proc.signalCode}): ${(api.stderrTail?.() ?? '')
        .split('\n')
        .filter((l) => !l.startsWith('{"time"'))
        .slice(-6)
        .join(' | ')
        .slice(0, 600)}`,
    )
    // Nothing lost: uploads end ready, answers leave `streaming`.
    const settled = async () => {
      const [v] = await sql<
        { n: number }[]
      >`select count(*)::int as n from videos where id = any(${uploads}) and status in ('queued', 'processing')`
      const [m] = await sql<{ n: number }[]>`select count(*)::int as n from messages where status = 'streaming'`
      return v!.n + m!.n === 0
    }
    for (let i = 0; i < 120 && !(await settled()); i++) await Bun.sleep(1000)
    const videos = await sql<
      { status: string; n: number }[]
    >`select status::text as status, count(*)::int as n from videos where id = any(${uploads}) group by 1`
    const messages = await sql<
      { status: string; n: number }[]
    >`select status::text as status, count(*)::int as n from messages where role = 'assistant' group by 1`
    report.count('uploads', uploads.length)
    report.count('videos', videos.map((v) => `${v.status}:${v.n}`).join('/') || 'none')
    report.count('answers', messages.map((m) => `${m.status}:${m.n}`).join('/') || 'none')
    report.check(
      videos.every((v) => v.status === 'ready'),
      `uploads not ready: ${JSON.stringify(videos)}`,
    )
    report.check(
      messages.every((m) => m.status !== 'streaming'),
      'answers stuck streaming',
    )
    await sql.end({ timeout: 1 })
  } catch (err) {
    report.check(false, `drill error: ${String((err as Error).message ?? err).slice(0, 200)}`)
  } finally {
    for (const c of children.reverse()) await c.stop().catch(() => {})
    await pgLocal(dir, 'stop').catch(() => {})
    rmSync(dir, { recursive: true, force: true })
  }
  return report.result()
}
