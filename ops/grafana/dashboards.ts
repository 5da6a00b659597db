// The Grafana dashboards, written as data: `bun ops/grafana/dashboards.ts`
// regenerates ops/grafana/*.json (provisioned by the Ansible monitoring role),
// and a test fails when the JSON and this file disagree, when a query names a
// metric the product does not export, or when Prometheus rejects a query.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

type Panel = { title: string; expr: string | string[]; unit?: string; legend?: string; kind?: 'timeseries' | 'stat'; description?: string }
type Dashboard = { uid: string; title: string; description: string; panels: Panel[] }

const rate = (m: string) => `rate(${m}[$__rate_interval])`

export const DASHBOARDS: Dashboard[] = [
  {
    uid: 'kt-overview',
    title: 'KnowledgeTree / Overview',
    description: 'Is the fleet healthy: traffic, errors, latency, answers, time to first token, processes.',
    panels: [
      { title: 'Targets up', kind: 'stat', expr: 'sum by (job) (up{job=~"knowledgetree-.*"})', legend: '{{job}}' },
      {
        title: '5xx ratio',
        kind: 'stat',
        unit: 'percentunit',
        expr: `sum(${rate('http_server_request_duration_count{http_response_status_code=~"5.."}')}) / sum(${rate('http_server_request_duration_count')})`,
      },
      { title: 'Answers per minute', kind: 'stat', expr: `sum(${rate('kt_generations_total{kind="answer"}')}) * 60` },
      { title: 'SSE streams open', kind: 'stat', expr: 'sum(kt_sse_streams_open)' },
      {
        title: 'Active users',
        kind: 'stat',
        expr: 'max by (window) (kt_users_active)',
        legend: '{{window}}',
        description: 'Distinct users with a request in the last 5 minutes and the last hour (fleet-wide).',
      },
      {
        title: 'Requests per second by status',
        unit: 'reqps',
        expr: `sum by (http_response_status_code) (${rate('http_server_request_duration_count')})`,
        legend: '{{http_response_status_code}}',
      },
      {
        title: 'Errors (5xx) by route',
        unit: 'reqps',
        expr: `sum by (http_route) (${rate('http_server_request_duration_count{http_response_status_code=~"5.."}')})`,
        legend: '{{http_route}}',
      },
      {
        title: 'p95 latency by route',
        unit: 's',
        expr: `histogram_quantile(0.95, sum by (le, http_route) (${rate('http_server_request_duration_bucket')}))`,
        legend: '{{http_route}}',
      },
      {
        title: 'Answers by status',
        unit: 'short',
        expr: `sum by (status, mode) (${rate('kt_generations_total{kind="answer"}')}) * 60`,
        legend: '{{mode}} {{status}}',
        description: 'Per minute.',
      },
      {
        title: 'Time to first token',
        unit: 's',
        expr: [0.5, 0.95].map(
          (q) => `histogram_quantile(${q}, sum by (le) (${rate('kt_generation_time_to_first_token_bucket{mode="llm"}')}))`,
        ),
        legend: 'p50|p95',
      },
      {
        title: 'Answer duration p95',
        unit: 's',
        expr: `histogram_quantile(0.95, sum by (le, kind) (${rate('kt_generation_duration_bucket')}))`,
        legend: '{{kind}}',
      },
      {
        title: 'Tokens per minute by model',
        unit: 'short',
        expr: `sum by (gen_ai_request_model, gen_ai_token_type) (${rate('gen_ai_client_token_usage_sum')}) * 60`,
        legend: '{{gen_ai_request_model}} {{gen_ai_token_type}}',
        description: 'Answers, artifacts and follow-up rewrites (ANTHROPIC_REWRITE_MODEL), each under its model.',
      },
      {
        title: 'Event-loop delay p99',
        unit: 's',
        expr: `histogram_quantile(0.99, sum by (le, job, instance) (${rate('kt_eventloop_delay_bucket')}))`,
        legend: '{{job}} {{instance}}',
      },
      {
        title: 'CPU',
        unit: 'percentunit',
        expr: `sum by (job, instance) (${rate('process_cpu_time_total')})`,
        legend: '{{job}} {{instance}}',
        description: 'CPU seconds per second (1 = one core).',
      },
      { title: 'Memory (RSS)', unit: 'bytes', expr: 'sum by (job, instance) (process_memory_usage)', legend: '{{job}} {{instance}}' },
    ],
  },
  {
    uid: 'kt-ingestion',
    title: 'KnowledgeTree / Ingestion',
    description: 'Queues, jobs and videos: depth, throughput, durations and why things fail. Queue gauges are fleet-wide (max, not sum).',
    panels: [
      { title: 'Queue depth', expr: 'max by (queue) (kt_queue_depth)', legend: '{{queue}}' },
      { title: 'Jobs running', expr: 'max by (queue) (kt_queue_active)', legend: '{{queue}}' },
      { title: 'Dead-lettered jobs', expr: 'max by (queue) (kt_queue_dead_lettered)', legend: '{{queue}}' },
      { title: 'Failed jobs retained', expr: 'max by (queue) (kt_queue_failed)', legend: '{{queue}}' },
      {
        title: 'Jobs per minute by outcome',
        expr: `sum by (queue, outcome) (${rate('kt_job_duration_count')}) * 60`,
        legend: '{{queue}} {{outcome}}',
      },
      {
        title: 'Job duration p95',
        unit: 's',
        expr: `histogram_quantile(0.95, sum by (le, queue) (${rate('kt_job_duration_bucket')}))`,
        legend: '{{queue}}',
      },
      {
        title: 'Video processing time p95 by source',
        unit: 's',
        expr: `histogram_quantile(0.95, sum by (le, source_type) (rate(kt_video_processing_duration_bucket[1h])))`,
        legend: '{{source_type}}',
      },
      {
        title: 'Videos finished per hour',
        expr: 'sum by (source_type, outcome) (increase(kt_video_processing_duration_count[1h]))',
        legend: '{{source_type}} {{outcome}}',
      },
      {
        title: 'Video failures by reason (last hour)',
        expr: 'sum by (reason, source_type) (increase(kt_video_failures_total[1h]))',
        legend: '{{source_type}}: {{reason}}',
      },
    ],
  },
  {
    uid: 'kt-database',
    title: 'KnowledgeTree / Database',
    description: 'Connection pools of each process, query latency, and PostgreSQL itself (postgres exporter).',
    panels: [
      {
        title: 'Pool connections in use',
        expr: 'sum by (job, instance) (db_client_connection_count{db_client_connection_state="used"})',
        legend: '{{job}} {{instance}}',
      },
      {
        title: 'Pool free',
        expr: 'sum by (job, instance) (db_client_connection_count{db_client_connection_state="idle"})',
        legend: '{{job}} {{instance}}',
      },
      {
        title: 'Waiting for a connection',
        expr: 'sum by (job, instance) (db_client_connection_pending_requests)',
        legend: '{{job}} {{instance}}',
      },
      {
        title: 'Queries per second',
        unit: 'ops',
        expr: `sum by (db_operation_name) (${rate('db_client_operation_duration_count')})`,
        legend: '{{db_operation_name}}',
      },
      {
        title: 'Query latency p95',
        unit: 's',
        expr: `histogram_quantile(0.95, sum by (le, db_operation_name) (${rate('db_client_operation_duration_bucket')}))`,
        legend: '{{db_operation_name}}',
      },
      {
        title: 'Query errors by SQLSTATE',
        unit: 'ops',
        expr: `sum by (error_type) (${rate('db_client_operation_duration_count{error_type!=""}')})`,
        legend: '{{error_type}}',
      },
      {
        title: 'PostgreSQL connections / max_connections',
        unit: 'percentunit',
        expr: 'sum by (instance) (pg_stat_activity_count) / on (instance) max by (instance) (pg_settings_max_connections)',
        legend: '{{instance}}',
      },
      { title: 'PostgreSQL up', kind: 'stat', expr: 'pg_up', legend: '{{instance}}' },
    ],
  },
  {
    uid: 'kt-billing',
    title: 'KnowledgeTree / Billing',
    description: 'Quota refusals, Stripe webhooks and the nightly reconciliation (metrics of server/billing/metrics.ts).',
    panels: [
      {
        title: 'Quota refusals by dimension (per hour)',
        expr: 'sum by (dimension) (increase(kt_billing_quota_refusals_total[1h]))',
        legend: '{{dimension}}',
      },
      {
        title: 'Webhooks received by outcome (per hour)',
        expr: 'sum by (outcome) (increase(kt_billing_webhooks_total[1h]))',
        legend: '{{outcome}}',
        description: 'accepted, duplicate, or rejected (bad signature).',
      },
      {
        title: 'Webhooks by event type (per hour)',
        expr: 'sum by (type) (increase(kt_billing_webhooks_total{outcome="accepted"}[1h]))',
        legend: '{{type}}',
      },
      {
        title: 'Stripe events applied by outcome (per hour)',
        expr: 'sum by (outcome) (increase(kt_billing_events_total[1h]))',
        legend: '{{outcome}}',
      },
      {
        title: 'Reconciliation: accounts checked (per day)',
        kind: 'stat',
        expr: 'sum(increase(kt_billing_reconciliation_checked_total[1d]))',
      },
      {
        title: 'Reconciliation drift fixed (per day)',
        kind: 'stat',
        expr: 'sum(increase(kt_billing_reconciliation_drift_total[1d]))',
        description: 'Accounts whose stored plan differed from Stripe. Above 0 repeatedly: webhooks are being lost.',
      },
    ],
  },
]

// Grafana's own template variable (the dashboard's datasource picker), not a JavaScript template.
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana syntax, kept literally.
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' }

function panelJson(p: Panel, i: number) {
  const kind = p.kind ?? 'timeseries'
  const exprs = Array.isArray(p.expr) ? p.expr : [p.expr]
  const legends = (p.legend ?? '').split('|')
  const width = kind === 'stat' ? 6 : 12
  const height = kind === 'stat' ? 4 : 8
  return {
    id: i + 1,
    type: kind,
    title: p.title,
    ...(p.description ? { description: p.description } : {}),
    datasource: DATASOURCE,
    gridPos: { x: 0, y: 0, w: width, h: height },
    fieldConfig: { defaults: { unit: p.unit ?? 'short' }, overrides: [] },
    options: kind === 'stat' ? { reduceOptions: { calcs: ['lastNotNull'] } } : { legend: { displayMode: 'table', placement: 'bottom' } },
    targets: exprs.map((expr, j) => ({
      refId: String.fromCharCode(65 + j),
      datasource: DATASOURCE,
      expr,
      legendFormat: legends[j] ?? legends[0] ?? '',
    })),
  }
}

/** Lays panels out left to right, wrapping at Grafana's 24 columns. */
function layout(panels: ReturnType<typeof panelJson>[]) {
  let x = 0
  let y = 0
  let rowHeight = 0
  for (const p of panels) {
    if (x + p.gridPos.w > 24) {
      x = 0
      y += rowHeight
      rowHeight = 0
    }
    p.gridPos = { ...p.gridPos, x, y }
    x += p.gridPos.w
    rowHeight = Math.max(rowHeight, p.gridPos.h)
  }
  return panels
}

export function dashboardJson(d: Dashboard) {
  return {
    uid: d.uid,
    title: d.title,
    description: d.description,
    tags: ['knowledgetree'],
    schemaVersion: 39,
    version: 1,
    editable: false,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' }] },
    panels: layout(d.panels.map(panelJson)),
  }
}

export const fileOf = (d: Dashboard) => join(import.meta.dir, `${d.uid.replace(/^kt-/, '')}.json`)
export const render = (d: Dashboard) => `${JSON.stringify(dashboardJson(d), null, 2)}\n`

if (import.meta.main) for (const d of DASHBOARDS) writeFileSync(fileOf(d), render(d))
