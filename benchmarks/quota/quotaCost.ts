// What metering costs. (1) The quota check in the chat path: the same question
// answered by one app with quotas off (the unmetered gate) and one with the
// billing gate on a plan with limits, interleaved in one run; reported as time
// to the response headers (the reservation happens before them) and as the
// gate's own reserve + settle time. (2) 1,000 concurrent reservations on one
// account against a limit of 600: throughput, exactly 600 granted, no errors
// other than quota_exceeded (no deadlocks or serialization failures).
// Run: bun run benchmarks/quota/quotaCost.ts [--questions 300] [--no-results]
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { createApp } from '../../server/app.ts'
import { createBilling } from '../../server/billing/billing.ts'
import { createQuotaGate } from '../../server/billing/gates.ts'
import { QuotaExceededError, reserve } from '../../server/billing/quotas.ts'
import { createStreamHub } from '../../server/generation/streamHub.ts'
import { createStreamAccess } from '../../server/platform/streamAccess.ts'
import { createSessionCache } from '../../server/auth/sessionCache.ts'
import { streamOwnerCheck } from '../../server/auth/streamOwnerCheck.ts'
import { loadConfig } from '../../server/platform/config.ts'
import { createSql } from '../../server/platform/db.ts'
import { createLogger } from '../../server/platform/logger.ts'
import { unlimitedQuota } from '../../server/platform/quotaGate.ts'
import { createProgressHub } from '../../server/videos/progressHub.ts'
import { startJobQueue } from '../../server/platform/jobQueue.ts'
import { makeUser } from '../../testing/factories.ts'
import { cues, seedVideo } from '../../testing/seedVideo.ts'
import { request, type TestApp } from '../../testing/testApp.ts'
import { createBenchDatabase } from '../benchDatabase.ts'
import { describeMachine, machineLine } from '../machine.ts'
import { fmt, markdownTable, summarize } from '../stats.ts'
import { updateResults } from '../updateResults.ts'

const { values: args } = parseArgs({
  options: { questions: { type: 'string', default: '300' }, 'no-results': { type: 'boolean', default: false } },
})
const QUESTIONS = Number(args.questions)
const started = performance.now()

const db = await createBenchDatabase()
const machine = await describeMachine(db.sql)
console.log(machineLine(machine))
// Plenty of messages: the run measures the check, not refusals.
const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'error',
  DATABASE_URL: db.url,
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  DEFAULT_PLAN: 'enterprise',
})
const logger = createLogger('error', { service: 'bench' })
const queue = await startJobQueue({ url: db.url, logger, max: 2 })
const billing = createBilling({ ...config, DEFAULT_PLAN: 'pro' })
const limited = { ...billing, defaultPlan: { ...billing.defaultPlan, limits: { ...billing.defaultPlan.limits, messages: 10_000_000 } } }
const hub = createProgressHub(db.sql, { mode: 'listen', logger })
const streams = createStreamHub(db.sql, { mode: 'listen', logger })
const access = createStreamAccess(db.sql, { mode: 'listen', logger, check: streamOwnerCheck(db.sql) })
const sessions = createSessionCache(db.sql, { mode: 'listen', logger })
const appOff = createApp({ config, sql: db.sql, logger, queue, hub, streams, access, sessions, quota: unlimitedQuota })
const appOn = createApp({ config, sql: db.sql, logger, queue, hub, streams, access, sessions, billing: limited })

const ctx = { db, config, logger, queue } as unknown as TestApp
const user = await makeUser(db.sql, config)
const collection = (await (
  await appOff.handle(request('/api/collections', { method: 'POST', headers: user.bearer, json: { name: 'Bench' } }))
).json()) as { id: string }
await seedVideo(ctx, {
  collectionId: collection.id,
  userId: user.id,
  title: 'Caching',
  segments: cues(['DiskCache keeps values in SQLite files on disk.', 'Eviction is least recently stored.']),
})
const conversation = (await (
  await appOff.handle(request('/api/conversations', { method: 'POST', headers: user.bearer, json: { collectionId: collection.id } }))
).json()) as { id: string }

async function ask(app: typeof appOn): Promise<number> {
  const t0 = performance.now()
  const res = await app.handle(
    request(`/api/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers: user.bearer,
      json: { content: 'Where does DiskCache keep data?' },
    }),
  )
  const elapsed = performance.now() - t0
  if (res.status !== 200) throw new Error(`ask answered ${res.status}`)
  await res.text()
  return elapsed
}

// Warm both paths, then interleave so load and caches affect both alike.
for (let i = 0; i < 10; i++) await ask(i % 2 ? appOn : appOff)
const off: number[] = []
const on: number[] = []
for (let i = 0; i < QUESTIONS; i++) {
  if (i % 2) on.push(await ask(appOn))
  else off.push(await ask(appOff))
}
const gate = createQuotaGate(db.sql, limited)
const gateOnly: number[] = []
for (let i = 0; i < QUESTIONS; i++) {
  const t0 = performance.now()
  const ticket = await gate.reserve(user.id, 'message')
  await ticket.settle()
  gateOnly.push(performance.now() - t0)
}

// 1,000 concurrent reservations on one account, 600 allowed.
const hot = await makeUser(db.sql, config)
const pool = createSql(db.url, { max: 20 })
const capped = { ...billing, defaultPlan: { ...billing.defaultPlan, limits: { ...billing.defaultPlan.limits, messages: 600 } } }
const t0 = performance.now()
const results = await Promise.allSettled(
  Array.from({ length: 1000 }, (_, i) =>
    reserve(pool, capped, { userId: hot.id, dimension: 'messages', amount: 1, reference: `r${i}`, reason: 'bench' }),
  ),
)
const burstSeconds = (performance.now() - t0) / 1000
const granted = results.filter((r) => r.status === 'fulfilled').length
const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof QuotaExceededError).length
const other = results.length - granted - refused
const [counter] = await db.sql<
  { used: number }[]
>`select used::int from usage_counters where user_id = ${hot.id} and dimension = 'messages'`
await pool.end()

const s = { off: summarize(off), on: summarize(on), gate: summarize(gateOnly) }
const us = (ms: number) => fmt(ms * 1000, 0)
const body = [
  `Chat path, ${QUESTIONS} questions interleaved (time to response headers; extractive answers, so no model time):`,
  '',
  markdownTable(
    ['path', 'p50 µs', 'p99 µs', 'mean µs'],
    [
      ['quotas off (unmetered gate)', us(s.off.p50), us(s.off.p99), us(s.off.mean)],
      ['billing gate (reserve before, settle after)', us(s.on.p50), us(s.on.p99), us(s.on.mean)],
      ['added per question', us(s.on.p50 - s.off.p50), us(s.on.p99 - s.off.p99), us(s.on.mean - s.off.mean)],
      ['the gate alone (reserve + settle)', us(s.gate.p50), us(s.gate.p99), us(s.gate.mean)],
    ],
  ),
  '',
  `Load average (1 min) at the end of the run: ${fmt(loadavg()[0]!, 1)} — figures taken on a busy machine are inflated; compare runs at similar load.`,
  '',
  `1,000 concurrent reservations on one account (limit 600, pool of 20): ${granted} granted, ${refused} refused with quota_exceeded, ${other} other errors; counter ${counter?.used ?? 0}; ${fmt(1000 / burstSeconds, 0)} reservations/s (${fmt(burstSeconds, 2)} s).`,
].join('\n')
console.log(body)
if (other > 0 || granted !== 600 || counter?.used !== 600) process.exitCode = 1
updateResults('quota', machine, body, { durationSeconds: (performance.now() - started) / 1000 })
await hub.close()
await streams.shutdown()
await access.shutdown()
await sessions.shutdown()
await queue.stop({ timeoutMs: 1000 })
await db.drop()
