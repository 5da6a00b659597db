// Ingest throughput end to end: the four long transcripts of the shared
// dataset, uploaded --repeat times through the real route (POST
// /api/collections/:id/videos/transcripts) of an api process, processed by a
// real worker process (`bun jobs/main.ts`: ingest -> parse -> embed job ->
// chunk -> local embeddings -> rows + HNSW index) until every video is ready.
// Then the queue itself: jobs/s through a no-op pg-boss queue made for the run.
//
//   bun run benchmarks/ingest/ingestPipeline.ts [--repeat=10] [--noop-jobs=3000] [--noop-seconds=8] [--no-results]
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { PgBoss } from 'pg-boss'
import { insertCollection } from '../../server/collections/sql.ts'
import { decodeTranscript, detectFormat, parseTranscript } from '../../server/videos/transcripts/parseTranscript.ts'
import { makeUser } from '../../testing/factories.ts'
import { createBenchDatabase } from '../benchDatabase.ts'
import { printMachine } from '../machine.ts'
import { apiConfig, startApi, type Child } from '../processes.ts'
import { fmt, markdownTable, summarize } from '../stats.ts'
import { LONG_TRANSCRIPTS } from '../seedCollection.ts'
import { updateResults } from '../updateResults.ts'

const option = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback
const REPEAT = Number(option('repeat', '10'))
const NOOP_JOBS = Number(option('noop-jobs', '3000'))
const NOOP_SECONDS = Number(option('noop-seconds', '8'))
const INGEST_TIMEOUT_MS = 300_000

const files = LONG_TRANSCRIPTS.map((path) => {
  const bytes = new Uint8Array(readFileSync(path))
  const segments = parseTranscript(detectFormat(basename(path), null, bytes), decodeTranscript(bytes))
  const ms = Math.max(...segments.map((s) => s.endMs ?? 0))
  return { path, name: basename(path), bytes, ms, words: segments.reduce((a, s) => a + s.text.split(/\s+/).length, 0) }
})

type NoopSettings = {
  batchSize: number
  localConcurrency: number
  pollingIntervalSeconds: number
  burstWhenBatchFull?: boolean
  burstWhenReadyExceeds?: number
}

/** Sends `jobs` no-op jobs, then works them for at most NOOP_SECONDS; rates are per second of each phase. */
async function noopQueue(
  url: string,
  jobs: number,
  settings: NoopSettings,
): Promise<{ sendPerSecond: number; workPerSecond: number; done: number; seconds: number }> {
  const boss = new PgBoss({ connectionString: url, max: 4, schedule: false, application_name: 'knowledgetree-bench' })
  boss.on('error', (err) => console.error('pg-boss error', err))
  await boss.start()
  const queue = `bench-noop-${crypto.randomUUID().slice(0, 8)}`
  await boss.createQueue(queue)
  try {
    const t0 = performance.now()
    // One send per job, as the api sends them (10 at a time in flight).
    for (let i = 0; i < jobs; i += 10)
      await Promise.all(Array.from({ length: Math.min(10, jobs - i) }, (_, j) => boss.send(queue, { n: i + j })))
    const sendPerSecond = jobs / ((performance.now() - t0) / 1000)
    let done = 0
    let finish!: () => void
    const all = new Promise<void>((r) => (finish = r))
    const t1 = performance.now()
    await boss.work(queue, settings, async (batch) => {
      done += batch.length
      if (done >= jobs) finish()
    })
    await Promise.race([all, Bun.sleep(NOOP_SECONDS * 1000)])
    const seconds = (performance.now() - t1) / 1000
    const counted = done
    await boss.offWork(queue)
    return { sendPerSecond, workPerSecond: counted / seconds, done: counted, seconds }
  } finally {
    await boss.deleteQueue(queue).catch(() => {})
    await boss.stop({ graceful: false, close: true, timeout: 2000 })
  }
}

const started = performance.now()
const db = await createBenchDatabase()
const children: Child[] = []
try {
  const machine = await printMachine(db.sql)
  const config = apiConfig(db.url)
  const user = await makeUser(db.sql, config, 'bench')
  const collectionId = await insertCollection(db.sql, user.id, 'Ingest benchmark', '')
  const api = await startApi(db.url)
  children.push(api)
  // The worker serves no HTTP: it is ready once its connections show up.
  const workerProc = Bun.spawn([process.execPath, 'jobs/main.ts'], {
    cwd: `${import.meta.dir}/../..`,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', LOG_LEVEL: 'error', DATABASE_URL: db.url, JWT_SECRET: config.JWT_SECRET! },
    stdout: 'ignore',
    stderr: 'inherit',
  })
  children.push({
    url: '',
    pid: workerProc.pid,
    proc: workerProc,
    rssKiB: () => NaN,
    stop: async () => {
      workerProc.kill('SIGTERM')
      await Promise.race([workerProc.exited, Bun.sleep(10_000)])
      if (workerProc.exitCode === null) workerProc.kill('SIGKILL')
    },
  })
  for (let i = 0; i < 100; i++) {
    const [row] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from pg_stat_activity where datname = ${db.name} and application_name = 'knowledgetree-worker'`.catch(
      () => [{ n: 0 }],
    )
    if (row!.n > 0) break
    await Bun.sleep(100)
  }
  await Bun.sleep(1000)

  const totalMs = files.reduce((a, f) => a + f.ms, 0) * REPEAT
  const totalWords = files.reduce((a, f) => a + f.words, 0) * REPEAT
  console.log(
    `${files.length} transcripts × ${REPEAT} = ${files.length * REPEAT} videos, ${fmt(totalMs / 3_600_000, 2)} transcript-hours, ${totalWords} words; worker concurrency ${config.WORKER_CONCURRENCY}`,
  )
  const t0 = performance.now()
  const videoIds: string[] = []
  const uploadMs: number[] = []
  for (let r = 0; r < REPEAT; r++) {
    for (const f of files) {
      const form = new FormData()
      form.append('file', new Blob([f.bytes]), f.name)
      form.append('language', 'en')
      const u0 = performance.now()
      const res = await fetch(`${api.url}/api/collections/${collectionId}/videos/transcripts`, {
        method: 'POST',
        headers: user.bearer,
        body: form,
      })
      uploadMs.push(performance.now() - u0)
      if (res.status !== 202) throw new Error(`upload of ${f.name} answered ${res.status}: ${(await res.text()).slice(0, 300)}`)
      videoIds.push(((await res.json()) as { id: string }).id)
    }
  }
  const uploadedAt = performance.now()
  let rows: { status: string; n: number }[] = []
  for (;;) {
    rows = await db.sql<
      { status: string; n: number }[]
    >`select status, count(*)::int as n from videos where collection_id = ${collectionId} group by status`
    const settled = rows.filter((r) => r.status === 'ready' || r.status === 'failed').reduce((a, r) => a + r.n, 0)
    if (settled === videoIds.length) break
    if (performance.now() - t0 > INGEST_TIMEOUT_MS)
      throw new Error(`ingest did not finish in ${INGEST_TIMEOUT_MS / 1000} s: ${JSON.stringify(rows)}`)
    await Bun.sleep(100)
  }
  const wallMs = performance.now() - t0
  const failed = rows.find((r) => r.status === 'failed')?.n ?? 0
  const [counts] = await db.sql<{ chunks: number; embeddings: number }[]>`
    select (select count(*)::int from chunks where collection_id = ${collectionId}) as chunks,
           (select count(*)::int from chunk_embeddings where collection_id = ${collectionId}) as embeddings`
  const hoursPerMinute = totalMs / 3_600_000 / (wallMs / 60_000)
  const up = summarize(uploadMs)
  console.log(
    `ingested ${videoIds.length} videos (${failed} failed) in ${fmt(wallMs / 1000)} s (uploads ${fmt((uploadedAt - t0) / 1000)} s, upload p50 ${fmt(up.p50)} ms): ${fmt(hoursPerMinute, 2)} transcript-hours per minute, ${counts!.chunks} chunks, ${counts!.embeddings} embeddings`,
  )
  for (const c of children.splice(0).reverse()) await c.stop()

  // The worker's own settings (jobs/worker.ts), then with pg-boss's burst mode, then batched.
  const noopRuns: [string, NoopSettings][] = [
    ['batchSize 1, localConcurrency 2, poll 1 s (one job per fetch)', { batchSize: 1, localConcurrency: 2, pollingIntervalSeconds: 1 }],
    [
      'batchSize 2, burstWhenBatchFull (jobs/worker.ts, WORKER_CONCURRENCY 2)',
      { batchSize: 2, localConcurrency: 1, pollingIntervalSeconds: 1, burstWhenBatchFull: true },
    ],
    ['batchSize 1 + burstWhenReadyExceeds 1', { batchSize: 1, localConcurrency: 2, pollingIntervalSeconds: 1, burstWhenReadyExceeds: 1 }],
    [
      'batchSize 50, localConcurrency 2, burstWhenBatchFull',
      { batchSize: 50, localConcurrency: 2, pollingIntervalSeconds: 1, burstWhenBatchFull: true },
    ],
  ]
  const noop: { label: string; sendPerSecond: number; workPerSecond: number; done: number; seconds: number }[] = []
  for (const [label, settings] of noopRuns) {
    const r = await noopQueue(db.url, NOOP_JOBS, settings)
    noop.push({ label, ...r })
    console.log(
      `no-op queue, ${label}: send ${fmt(r.sendPerSecond, 0)} jobs/s; worked ${r.done}/${NOOP_JOBS} in ${fmt(r.seconds)} s = ${fmt(r.workPerSecond, 1)} jobs/s`,
    )
  }

  const md = [
    markdownTable(
      ['what', 'figure'],
      [
        ['transcript-hours ingested per minute (upload → ready)', fmt(hoursPerMinute, 2)],
        ['videos (4 long talks × repeat)', `${videoIds.length} (${failed} failed)`],
        ['transcript-hours / words', `${fmt(totalMs / 3_600_000, 2)} h / ${totalWords.toLocaleString('en')}`],
        ['chunks written (with local 1,024-dim embeddings)', `${counts!.chunks} (${fmt(counts!.chunks / (wallMs / 1000), 1)} per s)`],
        ['wall time, first upload → last video ready', `${fmt(wallMs / 1000)} s`],
        ['upload request p50 / max (parse + store + enqueue)', `${fmt(up.p50)} / ${fmt(up.max)} ms`],
        [`no-op queue: send, one job per call (${NOOP_JOBS} jobs)`, `${fmt(noop[0]!.sendPerSecond, 0)} jobs/s`],
        ...noop.map((r) => [`no-op queue: work, ${r.label}`, `${fmt(r.workPerSecond, 1)} jobs/s (${r.done} in ${fmt(r.seconds)} s)`]),
      ],
    ),
    '',
    `One api process and one worker process (\`bun jobs/main.ts\`, WORKER_CONCURRENCY ${config.WORKER_CONCURRENCY}, local embedder) on the same 2 cores as Postgres; the ${files.length} talks are ${files.map((f) => `${fmt(f.ms / 60_000, 0)} min`).join(', ')} long.`,
  ].join('\n')
  console.log(`\n${md}`)
  updateResults('ingest', machine, md, { durationSeconds: (performance.now() - started) / 1000 })
} finally {
  for (const c of children.reverse()) await c.stop()
  await db.drop()
}
