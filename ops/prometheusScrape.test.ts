// A real Prometheus scrapes a real api and a real worker process after an
// upload and a question, so every dashboard query runs against data the
// product exported and every metric a dashboard or rule names is one the
// product (or a named exporter) provides. The files' own checks are in
// monitoringFiles.test.ts.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startAnthropicEmulator } from '../testing/anthropic/emulator.ts'
import { makeUser, type TestUser } from '../testing/factories.ts'
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts'
import { readSse } from '../testing/sseClient.ts'
import { waitForVideo } from '../testing/testWorker.ts'
import { loadConfig, type Config } from '../server/platform/config.ts'
import { createLogger } from '../server/platform/logger.ts'
import { startServer, type RunningServer } from '../server/server.ts'
import { alertRules } from './alertRules.ts'
import { DASHBOARDS } from './grafana/dashboards.ts'
import { metricNames } from './metricNames.ts'

const REPO = join(import.meta.dir, '..')

/** Metrics that come from outside this repository's processes, by who exports them. */
const OUTSIDE = {
  prometheus: ['up'],
  'postgres exporter': ['pg_up', 'pg_stat_activity_count', 'pg_settings_max_connections'],
  'node exporter': ['node_filesystem_avail_bytes', 'node_filesystem_size_bytes'],
  'backups (node exporter textfile, ansible/roles/backups)': ['kt_backup_last_success_timestamp_seconds'],
  'blackbox exporter': ['probe_ssl_earliest_cert_expiry'],
  // Read from the script itself, so a renamed metric cannot pass unnoticed (tested in ops/tlsExpiry.test.ts).
  'TLS certificate files (node exporter textfile, ansible/roles/monitoring)': [
    ...readFileSync(join(REPO, 'ansible', 'roles', 'monitoring', 'files', 'knowledgetree-tls-expiry'), 'utf8').matchAll(
      /^\s*echo '# TYPE (\S+)/gm,
    ),
  ].map((m) => m[1]!),
}

describe('against a real Prometheus scraping a real api and worker', () => {
  let db: TestDatabase
  let api: RunningServer
  let worker: ReturnType<typeof Bun.spawn>
  let workerMetrics: string
  let prometheus: ReturnType<typeof Bun.spawn>
  let promUrl: string
  let dir: string
  let emulator: Awaited<ReturnType<typeof startAnthropicEmulator>>
  let user: TestUser
  let config: Config

  async function workerMetricsUrl(proc: ReturnType<typeof Bun.spawn>): Promise<string> {
    const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader()
    let buffered = ''
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline) {
      const { value, done } = await reader.read()
      if (done) break
      buffered += new TextDecoder().decode(value)
      const line = buffered.split('\n').find((l) => l.includes('"worker started"'))
      if (line) {
        reader.releaseLock()
        return (JSON.parse(line) as { metrics: string }).metrics
      }
    }
    throw new Error(`the worker did not start: ${buffered}`)
  }

  async function query(
    expr: string,
  ): Promise<{ status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } }> {
    return (await fetch(`${promUrl}/api/v1/query?${new URLSearchParams({ query: expr })}`)).json() as never
  }

  const call = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers({ ...user.bearer, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) })
    return fetch(`${api.url}${path}`, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body })
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-prometheus-'))
    db = await createTestDatabase()
    emulator = await startAnthropicEmulator()
    config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      PORT: '0',
      LOG_LEVEL: 'error',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: emulator.url,
    })
    config.PUBLIC_URL = 'http://localhost:3000'
    api = await startServer(config, createLogger('error'), { web: null })
    worker = Bun.spawn([process.execPath, join(REPO, 'jobs', 'main.ts')], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        WORKER_METRICS_PORT: '0',
        LOG_LEVEL: 'info',
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
      },
      stdout: 'pipe',
      stderr: 'inherit',
    })
    workerMetrics = await workerMetricsUrl(worker)
    user = await makeUser(db.sql, config)

    // Something for every panel to show: an upload processed by the worker and an answer.
    const collectionId = ((await (await call('/api/collections', { method: 'POST', json: { name: 'Metrics' } })).json()) as { id: string })
      .id
    const form = new FormData()
    form.set('file', new File(['WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nCaching keeps hot data close to the code.\n'], 'talk.vtt'))
    const { id: videoId } = (await (
      await call(`/api/collections/${collectionId}/videos/transcripts`, { method: 'POST', body: form })
    ).json()) as { id: string }
    expect((await waitForVideo(db.sql, videoId)).status).toBe('ready')
    const conversation = (await (await call('/api/conversations', { method: 'POST', json: { collectionId } })).json()) as { id: string }
    await readSse(
      await call(`/api/conversations/${conversation.id}/messages`, { method: 'POST', json: { content: 'What does caching do?' } }),
    )
    for (let i = 0; i < 20; i++) await call(`/api/collections/${crypto.randomUUID()}`)

    const port = Number(new URL(api.url).port)
    const promPort = port + 1 + Math.floor(Math.random() * 1000)
    promUrl = `http://127.0.0.1:${promPort}`
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: knowledgetree-api
    static_configs: [{ targets: ["${new URL(api.url).host}"] }]
  - job_name: knowledgetree-worker
    static_configs: [{ targets: ["${new URL(workerMetrics).host}"] }]
`,
    )
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
    // Three scrapes of each target, so rates have samples to work on.
    const deadline = Date.now() + 60_000
    for (;;) {
      const r = await query('count_over_time(up[1m]) >= 3 and up == 1').catch(() => null)
      if (r?.data?.result.length === 2) break
      if (prometheus.exitCode !== null)
        throw new Error(`prometheus exited: ${await new Response(prometheus.stderr as ReadableStream).text()}`)
      if (Date.now() > deadline) throw new Error(`prometheus never scraped both targets: ${JSON.stringify(r)}`)
      await Bun.sleep(250)
    }
  })
  afterAll(async () => {
    prometheus?.kill()
    worker?.kill('SIGTERM')
    await Promise.all([prometheus?.exited, worker?.exited])
    await api?.stop()
    await emulator?.stop()
    await db?.drop()
    rmSync(dir, { recursive: true, force: true })
  })

  async function scrapedNames(): Promise<Set<string>> {
    const names = new Set<string>()
    for (const url of [`${api.url}/metrics`, workerMetrics]) {
      for (const m of (await (await fetch(url)).text()).matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/gm)) names.add(m[1]!)
    }
    return names
  }

  test('the api and the worker export the metric set, with bounded labels', async () => {
    const apiText = await (await fetch(`${api.url}/metrics`)).text()
    const workerText = await (await fetch(workerMetrics)).text()
    for (const re of [
      /^http_server_request_duration_count\{http_request_method="POST",http_route="\/api\/collections\/:id\/videos\/transcripts",http_response_status_code="202"/m,
      /^kt_generations_total\{kind="answer",mode="llm",status="complete"/m,
      /^kt_generation_time_to_first_token_bucket\{kind="answer",mode="llm"/m,
      /^gen_ai_client_token_usage_sum\{gen_ai_operation_name="chat",gen_ai_provider_name="anthropic",gen_ai_request_model="claude-sonnet-5-5",gen_ai_token_type="output"/m,
      /^db_client_connection_count\{db_client_connection_state="used"/m,
      /^db_client_operation_duration_count\{db_system_name="postgresql",db_operation_name="SELECT"/m,
      /^kt_queue_depth\{queue="ingest"/m,
      /^kt_sse_streams_open/m,
      // The test's own user made requests: seen in the last 5 minutes, fleet-wide.
      /^kt_users_active\{window="5m"[^}]*\} [1-9]/m,
      /^kt_eventloop_delay_bucket/m,
      /^process_cpu_time_total\{cpu_mode="user"/m,
      /^process_memory_usage/m,
    ])
      expect(apiText).toMatch(re)
    for (const re of [
      /^kt_job_duration_count\{queue="ingest",outcome="completed"/m,
      /^kt_job_duration_count\{queue="embed",outcome="completed"/m,
      /^kt_video_processing_duration_count\{source_type="transcript",outcome="ready"/m,
      /^kt_queue_dead_lettered\{queue="embed"/m,
      /^db_client_connection_max/m,
      /^process_memory_usage/m,
    ])
      expect(workerText).toMatch(re)
  })

  test('every metric a dashboard or an alert names is exported by the product or a named exporter', async () => {
    const known = await scrapedNames()
    for (const names of Object.values(OUTSIDE)) for (const n of names) known.add(n)
    // Registered instruments without an event in this run (no series yet), found in the source.
    // (The worker supervisor's are checked against its own scrape in jobs/supervisor/runSupervisor.test.ts.)
    const source = ['server/billing/metrics.ts', 'jobs/workerMetrics.ts', 'jobs/supervisor/runSupervisor.ts']
      .map((f) => readFileSync(join(REPO, f), 'utf8'))
      .join('\n')
    for (const m of source.matchAll(/createCounter\(\s*'([a-z_.]+)'/g)) known.add(`${m[1]!.replace(/\./g, '_')}_total`)
    for (const m of source.matchAll(/gauge\(\s*'(kt\.supervisor\.[a-z_.]+)'/g)) known.add(m[1]!.replace(/\./g, '_'))
    const unknown: string[] = []
    const panels = DASHBOARDS.flatMap((d) =>
      d.panels.flatMap((p) => (Array.isArray(p.expr) ? p.expr : [p.expr]).map((expr) => ({ where: `${d.title} / ${p.title}`, expr }))),
    )
    for (const { where, expr } of [...panels, ...alertRules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr }))]) {
      for (const name of metricNames(expr)) if (!known.has(name)) unknown.push(`${where}: ${name}`)
    }
    expect(unknown).toEqual([])
  })

  test("every dashboard panel's query runs on Prometheus, and those about traffic, queues and answers return data", async () => {
    const failures: string[] = []
    const empty: string[] = []
    for (const d of DASHBOARDS) {
      for (const p of d.panels) {
        for (const raw of Array.isArray(p.expr) ? p.expr : [p.expr]) {
          const r = await query(raw.replaceAll('$__rate_interval', '1m'))
          if (r.status !== 'success') failures.push(`${d.title} / ${p.title}: ${r.error}`)
          else if (r.data!.result.length === 0) empty.push(p.title)
        }
      }
    }
    expect(failures).toEqual([])
    // Panels of things this run did (the rest need failures, refusals or outside exporters).
    for (const title of [
      'Targets up',
      'Requests per second by status',
      'p95 latency by route',
      'Answers per minute',
      'Time to first token',
      'Queue depth',
      'Jobs per minute by outcome',
      'Pool connections in use',
      'Query latency p95',
      'Memory (RSS)',
    ])
      expect(empty).not.toContain(title)
  })
})
