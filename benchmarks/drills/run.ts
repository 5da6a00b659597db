// `make drills`: the fault drills against real processes on a fresh database,
// each printing PASS/FAIL with its counts; the outcomes go to RESULTS.md.
//
//   bun run benchmarks/drills/run.ts [--only=postgres-restart,worker-kill,llm-overload,api-kill,scaling] [--jobs=500] [--max=8] [--cooldown-s=60] [--no-results]
import { insertCollection } from '../../server/collections/sql.ts'
import { startJobQueue } from '../../server/platform/jobQueue.ts'
import { createLogger } from '../../server/platform/logger.ts'
import { makeUser } from '../../testing/factories.ts'
import { createBenchDatabase } from '../benchDatabase.ts'
import { printMachine } from '../machine.ts'
import { apiConfig } from '../processes.ts'
import { markdownTable } from '../stats.ts'
import { updateResults } from '../updateResults.ts'
import { apiKillDrill } from './apiKillDrill.ts'
import { type DrillResult, formatDrill } from './drillResult.ts'
import { llmOverloadDrill } from './llmOverloadDrill.ts'
import { scalingDrill } from './scalingDrill.ts'
import { postgresRestartDrill } from './postgresRestartDrill.ts'
import { workerKillDrill } from './workerKillDrill.ts'

const option = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback
const ONLY = option('only', 'postgres-restart,worker-kill,llm-overload,api-kill,scaling').split(',')
const JOBS = Number(option('jobs', '500'))
const MAX = Number(option('max', '8'))
const COOLDOWN_S = Number(option('cooldown-s', '60'))

const started = performance.now()
const db = await createBenchDatabase()
const logger = createLogger('warn', { service: 'drills' })
const queue = await startJobQueue({ url: db.url, logger })
const results: DrillResult[] = []
try {
  const machine = await printMachine(db.sql)
  const config = apiConfig(db.url)
  const user = await makeUser(db.sql, config, 'drills')
  const target = async (name: string) => ({ collectionId: await insertCollection(db.sql, user.id, name, ''), userId: user.id })
  const base = { databaseUrl: db.url, sql: db.sql, queue, config, logger }
  if (ONLY.includes('postgres-restart')) results.push(await postgresRestartDrill({ downSeconds: 10, clients: 12 }))
  if (ONLY.includes('worker-kill'))
    results.push(await workerKillDrill({ ...base, target: await target('Kill'), videos: 3, timeoutMs: 240_000 }))
  if (ONLY.includes('llm-overload'))
    results.push(await llmOverloadDrill({ databaseUrl: db.url, sql: db.sql, config, clients: 12, seconds: 20, failAfterTokens: 6 }))
  if (ONLY.includes('api-kill')) results.push(await apiKillDrill({ databaseUrl: db.url, sql: db.sql, config, timeoutMs: 120_000 }))
  if (ONLY.includes('scaling'))
    results.push(
      await scalingDrill({
        ...base,
        target: await target('Backlog'),
        jobs: JOBS,
        min: 2,
        max: MAX,
        cooldownMs: COOLDOWN_S * 1000,
        checkIntervalMs: 1000,
        timeoutMs: 900_000,
      }),
    )
  for (const r of results) console.log(formatDrill(r))
  const table = markdownTable(
    ['drill', 'outcome', 'counts', 'failed checks'],
    results.map((r) => [
      r.name,
      r.pass ? 'PASS' : '**FAIL**',
      Object.entries(r.counts)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
      r.failures.join('; ') || '–',
    ]),
  )
  const load = (await Bun.file('/proc/loadavg').text()).split(' ').slice(0, 3).join(' ')
  updateResults(
    'drills',
    machine,
    `${table}\n\nScaling drill: ${JOBS} small-transcript ingest jobs, supervisor WORKERS 2..${MAX}, scale-up at 10 ready per worker, cooldown ${COOLDOWN_S} s, check every 1 s. Postgres restart: a cluster of its own stopped (fast) for 10 s and started again while 12 clients list collections, ask questions and upload transcripts through one api and the supervisor. Worker kill: 3 long transcripts, one worker (concurrency 1) SIGKILLed while a job is active, a new one started. LLM overloaded: 12 users (free plan, billing on against the Stripe emulator) ask for 20 s, up to 40 questions each (the free plan allows 50), every answer's stream breaks with an overloaded_error after 6 tokens. api kill: two api processes, an answer streaming at 20 tokens/s from the one SIGKILLed after 10 tokens, its client resuming through nginx (both instances upstream) with Last-Event-ID. Load average at the end: ${load}.`,
    {
      durationSeconds: (performance.now() - started) / 1000,
    },
  )
} finally {
  await queue.stop({ timeoutMs: 2000 })
  await db.drop()
}
process.exit(results.every((r) => r.pass) ? 0 : 1)
