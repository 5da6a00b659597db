// Account enumeration through reset timing: with a local SMTP server that takes
// 200 ms per message, the median time of 20 reset requests for existing
// addresses against 20 for unknown ones (interleaved, each from its own client
// address so the per-IP limit never answers). The request only enqueues the
// `mail` job, so the two must differ by less than 20 ms. The worker starts after
// the timed requests (on a 2-core box its CPU use would land on random
// requests) and must then deliver every existing address's email through the
// slow server. For contrast, the same email sent inline (what the request used
// to do) is timed too.
// Run: bun run benchmarks/auth/resetTiming.ts [--no-results]
import { loadavg } from 'node:os'
import { loadConfig } from '../../server/platform/config.ts'
import { createLogger } from '../../server/platform/logger.ts'
import { createMailer } from '../../server/platform/mailer.ts'
import { deliverMail } from '../../server/auth/accountMail.ts'
import { makeUser } from '../../testing/factories.ts'
import { startTestSmtp } from '../../testing/smtpServer.ts'
import { request, type TestApp } from '../../testing/testApp.ts'
import { startTestWorker } from '../../testing/testWorker.ts'
import { createApp } from '../../server/app.ts'
import { startJobQueue } from '../../server/platform/jobQueue.ts'
import { createStreamAccess } from '../../server/platform/streamAccess.ts'
import { createSessionCache } from '../../server/auth/sessionCache.ts'
import { streamOwnerCheck } from '../../server/auth/streamOwnerCheck.ts'
import { createStreamHub } from '../../server/generation/streamHub.ts'
import { createProgressHub } from '../../server/videos/progressHub.ts'
import { createBenchDatabase } from '../benchDatabase.ts'
import { describeMachine, machineLine } from '../machine.ts'
import { fmt, markdownTable, summarize } from '../stats.ts'
import { updateResults } from '../updateResults.ts'

const N = 20
const SMTP_DELAY_MS = 200
const LIMIT_MS = 20
const started = performance.now()

const db = await createBenchDatabase()
const machine = await describeMachine(db.sql)
console.log(machineLine(machine))
const smtp = await startTestSmtp({ delayMs: SMTP_DELAY_MS })
const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'error',
  DATABASE_URL: db.url,
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  SMTP_URL: smtp.url,
})
const logger = createLogger('error', { service: 'bench' })
const queue = await startJobQueue({ url: db.url, logger, max: 2 })
const hub = createProgressHub(db.sql, { mode: 'listen', logger })
const streams = createStreamHub(db.sql, { mode: 'listen', logger })
const access = createStreamAccess(db.sql, { mode: 'listen', logger, check: streamOwnerCheck(db.sql) })
const sessions = createSessionCache(db.sql, { mode: 'listen', logger })
const app = createApp({ config, sql: db.sql, logger, queue, hub, streams, access, sessions })
const ctx = { db, config, logger, queue } as unknown as TestApp

const users = await Promise.all(Array.from({ length: N }, () => makeUser(db.sql, config)))
const unknown = Array.from({ length: N }, (_, i) => `nobody-${i}-${crypto.randomUUID()}@example.com`)

async function reset(email: string, peer: string): Promise<number> {
  const t0 = performance.now()
  const res = await app.handle(
    request('/api/auth/password-reset', { method: 'POST', json: { email }, headers: { origin: config.PUBLIC_URL }, peer }),
  )
  const ms = performance.now() - t0
  if (res.status !== 202) throw new Error(`reset answered ${res.status}`)
  return ms
}

// Warm up the route, the pool and pg-boss's statements.
for (let i = 0; i < 3; i++) await reset(`warm-${i}@example.com`, `203.0.113.${i + 1}`)
const existing: number[] = []
const missing: number[] = []
for (let i = 0; i < N; i++) {
  // Alternate which goes first, so drift in the machine's load cancels out.
  const pair = [
    () => reset(users[i]!.email, `198.51.100.${i + 1}`).then((ms) => existing.push(ms)),
    () => reset(unknown[i]!, `198.51.101.${i + 1}`).then((ms) => missing.push(ms)),
  ]
  for (const run of i % 2 ? pair.reverse() : pair) await run()
}
const load = loadavg()[0]!.toFixed(1)
// Now the worker sends the existing addresses' email through the slow server.
const worker = await startTestWorker(ctx)
for (const u of users) await smtp.waitFor((m) => m.to.includes(u.email))
const unknownMail = smtp.messages.filter((m) => unknown.some((e) => m.to.includes(e))).length

// What the request used to do: look the address up and send inline.
const mailer = createMailer(config, logger)
const inline = { existing: [] as number[], missing: [] as number[] }
const spare = await Promise.all(Array.from({ length: 5 }, () => makeUser(db.sql, config)))
for (let i = 0; i < 5; i++) {
  let t0 = performance.now()
  await deliverMail({ sql: db.sql, mailer, publicUrl: config.PUBLIC_URL }, { kind: 'password-reset', email: spare[i]!.email })
  inline.existing.push(performance.now() - t0)
  t0 = performance.now()
  await deliverMail({ sql: db.sql, mailer, publicUrl: config.PUBLIC_URL }, { kind: 'password-reset', email: `gone-${i}@example.com` })
  inline.missing.push(performance.now() - t0)
}

const e = summarize(existing)
const m = summarize(missing)
const diff = Math.abs(e.p50 - m.p50)
const ie = summarize(inline.existing)
const im = summarize(inline.missing)
const table = markdownTable(
  ['path', 'existing address p50 ms', 'unknown address p50 ms', 'difference ms'],
  [
    [`POST /api/auth/password-reset (enqueue; ${N} each)`, fmt(e.p50), fmt(m.p50), fmt(diff)],
    ['for contrast: the email sent inline (5 each)', fmt(ie.p50), fmt(im.p50), fmt(Math.abs(ie.p50 - im.p50))],
  ],
)
const delivered = `${N} emails delivered by the worker afterwards, ${unknownMail} to unknown addresses; load average during the requests ${load}`
const verdict =
  diff < LIMIT_MS
    ? `PASS: the medians differ by ${fmt(diff)} ms (< ${LIMIT_MS} ms)`
    : `FAIL: the medians differ by ${fmt(diff)} ms (>= ${LIMIT_MS} ms)`
console.log(`\n${table}\n\n${delivered}\n${verdict}`)
const body = `Local SMTP server accepting each message after ${SMTP_DELAY_MS} ms; requests interleaved, each from its own client address.\n\n${table}\n\n${delivered}.  \n${verdict}.`
updateResults('reset timing', machine, body, { durationSeconds: (performance.now() - started) / 1000 })
if (diff >= LIMIT_MS || unknownMail > 0) process.exitCode = 1

await worker.stop({ timeoutMs: 1000 })
await queue.stop({ timeoutMs: 1000 })
await hub.close()
await streams.shutdown()
await access.shutdown()
await sessions.shutdown()
await smtp.stop()
await db.drop()
