// Prometheus finds the supervisor's workers through the supervisor's /targets
// (HTTP service discovery), configured as ops/prometheus/prometheus.yml ships
// it: a real Prometheus scrapes every worker the supervisor runs, on the port
// the supervisor gave it, and stops when the worker is gone.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger } from '../../server/platform/logger.ts'
import { type MetricsServer, startMetricsServer } from '../../server/platform/metricsServer.ts'
import { createTelemetry } from '../../server/platform/telemetry.ts'
import { createWorkerProcesses, type WorkerProcesses } from './workerProcesses.ts'

const PROMETHEUS_DIR = join(import.meta.dir, '..', '..', 'ops', 'prometheus')

// A stand-in worker: serves its slot on the WORKER_METRICS_PORT it was given.
const FAKE_WORKER = `
Bun.serve({ hostname: '127.0.0.1', port: Number(process.env.WORKER_METRICS_PORT),
  fetch: () => new Response('kt_fake_worker_slot ' + process.env.KT_WORKER_SLOT + '\\n') })
process.on('SIGTERM', () => process.exit(0))`

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
}

/** A base whose next `count` ports are free now (bounded tries). */
async function freePortBase(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000)
    const free = await Promise.all(Array.from({ length: count + 1 }, (_, i) => listenable(base + i)))
    if (free.every(Boolean)) return base
  }
  throw new Error('no run of free ports')
}

let dir: string
let workers: WorkerProcesses
let supervisorMetrics: MetricsServer
let prometheus: ReturnType<typeof Bun.spawn>
let promUrl: string
let base: number

type ActiveTarget = { labels: Record<string, string>; health: string; scrapePool: string }
async function workerTargets(): Promise<ActiveTarget[]> {
  const body = (await (await fetch(`${promUrl}/api/v1/targets?state=active`)).json()) as { data: { activeTargets: ActiveTarget[] } }
  return body.data.activeTargets.filter((t) => t.scrapePool === 'knowledgetree-worker')
}
async function waitFor<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const value = await read().catch(() => undefined)
    if (value !== undefined && ok(value)) return value
    if (prometheus.exitCode !== null)
      throw new Error(`prometheus exited: ${await new Response(prometheus.stderr as ReadableStream).text()}`)
    if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(value)}`)
    await Bun.sleep(250)
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kt-worker-sd-'))
  base = await freePortBase(3)
  workers = createWorkerProcesses({
    logger: createLogger('error'),
    env: process.env,
    metricsPortBase: base,
    shutdownTimeoutMs: 1000,
    command: [process.execPath, '-e', FAKE_WORKER],
  })
  supervisorMetrics = startMetricsServer({
    telemetry: createTelemetry('knowledgetree-supervisor'),
    host: '127.0.0.1',
    port: 0,
    token: null,
    targets: () => workers.metricsPorts(),
  })

  // The shipped scrape config, pointed at this supervisor and made quick.
  let config = readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')
  for (const [from, to] of [
    ['127.0.0.1:9400', `127.0.0.1:${supervisorMetrics.port}`],
    ['scrape_interval: 30s', 'scrape_interval: 1s'],
    ['refresh_interval: 30s', 'refresh_interval: 1s'],
  ] as const) {
    expect(config).toContain(from)
    config = config.replaceAll(from, to)
  }
  writeFileSync(join(dir, 'prometheus.yml'), config)
  copyFileSync(join(PROMETHEUS_DIR, 'knowledgetree.rules.yml'), join(dir, 'knowledgetree.rules.yml'))
  const promPort = await freePortBase(0)
  promUrl = `http://127.0.0.1:${promPort}`
  prometheus = Bun.spawn(
    [
      'prometheus',
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--log.level=warn',
    ],
    { stdout: 'ignore', stderr: 'pipe' },
  )
})
afterAll(async () => {
  prometheus?.kill()
  await prometheus?.exited
  await workers?.stopAll()
  await supervisorMetrics?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('/targets lists each running worker at the host Prometheus asked for, on the port the supervisor gave it', async () => {
  workers.scaleTo(2)
  const groups = (await (await fetch(`${supervisorMetrics.url}/targets`)).json()) as { targets: string[] }[]
  expect(groups.flatMap((g) => g.targets)).toEqual([`127.0.0.1:${base + 1}`, `127.0.0.1:${base + 2}`])
  // Asked by another name, it answers with that name.
  const viaLocalhost = (await (await fetch(`http://localhost:${supervisorMetrics.port}/targets`)).json()) as { targets: string[] }[]
  expect(viaLocalhost[0]?.targets[0]).toBe(`localhost:${base + 1}`)
})

test('a real Prometheus scrapes every supervised worker, and drops one the supervisor stopped', async () => {
  workers.scaleTo(2)
  const expected = [`127.0.0.1:${base + 1}`, `127.0.0.1:${base + 2}`]
  const up = await waitFor(
    'prometheus never scraped both workers',
    workerTargets,
    (ts) => ts.length === 2 && ts.every((t) => t.health === 'up'),
  )
  expect(up.map((t) => t.labels.instance).sort()).toEqual(expected)

  workers.scaleTo(1)
  const left = await waitFor('prometheus kept scraping the stopped worker', workerTargets, (ts) => ts.length === 1)
  expect(left.map((t) => t.labels.instance)).toEqual([expected[0]!])
})

test('without a fixed WORKER_METRICS_PORT base there is nothing to list', () => {
  const unplaced = createWorkerProcesses({ logger: createLogger('error'), env: {}, metricsPortBase: 0, shutdownTimeoutMs: 1000 })
  expect(unplaced.metricsPorts()).toEqual([])
})
