// Per-queue job counts for Prometheus: depth (waiting, including retries not
// yet due), active, failed (still retained) and dead-lettered (waiting in
// `<queue>.dead`, which nothing consumes). They describe the whole fleet, read
// from pg-boss's table at scrape time, so every process reports the same
// figure: aggregate with max(), never sum(). `stalled` counts running jobs whose
// heartbeat stopped (a killed worker): the supervisor fails and retries them
// on its next pass, so a non-zero figure that stays is worth a look.
import { context, type Meter } from '@opentelemetry/api'
import { suppressTracing } from '@opentelemetry/core'
import type { Sql } from './db.ts'
import { deadLetterQueue, QUEUE_NAMES } from './queues.ts'

type Counts = { depth: number; active: number; stalled: number; failed: number; deadLettered: number }

export async function readQueueCounts(sql: Sql): Promise<Map<string, Counts>> {
  const names = [...QUEUE_NAMES, ...QUEUE_NAMES.map(deadLetterQueue)]
  // Not a span per scrape: this is the scraper's query, not the product's.
  const rows = await context.with(
    suppressTracing(context.active()),
    () => sql<{ name: string; state: string; n: number; stalled: number }[]>`
      select name, state::text as state, count(*)::int as n,
        (count(*) filter (where heartbeat_seconds is not null and heartbeat_on + heartbeat_seconds * interval '1 second' < now()))::int as stalled
      from pgboss.job
      where name = any(${names}) and state in ('created', 'retry', 'active', 'failed')
      group by name, state`,
  )
  const out = new Map<string, Counts>(QUEUE_NAMES.map((q) => [q, { depth: 0, active: 0, stalled: 0, failed: 0, deadLettered: 0 }]))
  for (const name of QUEUE_NAMES) {
    const counts = out.get(name)!
    for (const row of rows) {
      if (row.name === deadLetterQueue(name) && (row.state === 'created' || row.state === 'retry')) counts.deadLettered += row.n
      if (row.name !== name) continue
      if (row.state === 'created' || row.state === 'retry') counts.depth += row.n
      else if (row.state === 'active') {
        counts.active += row.n
        counts.stalled += row.stalled
      } else counts.failed += row.n
    }
  }
  return out
}

export function observeQueues(meter: Meter, sql: Sql): void {
  const gauge = (name: string, description: string) => meter.createObservableGauge(name, { unit: '{job}', description })
  const depth = gauge('kt.queue.depth', 'Jobs waiting in a queue (ready or waiting out a retry delay). Fleet-wide: aggregate with max().')
  const active = gauge('kt.queue.active', 'Jobs a worker is running now. Fleet-wide: aggregate with max().')
  const stalled = gauge(
    'kt.queue.stalled',
    'Running jobs whose heartbeat stopped (worker killed); retried on the next supervisor pass. Fleet-wide: aggregate with max().',
  )
  const failed = gauge('kt.queue.failed', 'Failed jobs still retained by pg-boss. Fleet-wide: aggregate with max().')
  const dead = gauge(
    'kt.queue.dead_lettered',
    'Jobs that used up their retries and wait in <queue>.dead. Fleet-wide: aggregate with max().',
  )
  meter.addBatchObservableCallback(
    async (r) => {
      const counts = await readQueueCounts(sql).catch(() => null)
      if (!counts) return // the database is away: report nothing rather than zeros
      for (const [queue, c] of counts) {
        r.observe(depth, c.depth, { queue })
        r.observe(active, c.active, { queue })
        r.observe(stalled, c.stalled, { queue })
        r.observe(failed, c.failed, { queue })
        r.observe(dead, c.deadLettered, { queue })
      }
    },
    [depth, active, stalled, failed, dead],
  )
}

/**
 * Jobs a worker could start now, over every work queue (not the dead-letter
 * ones): waiting and due, retries whose delay has passed. What the worker
 * supervisor and the Auto Scaling metric scale on; `active` is what runs.
 */
export async function readReadyJobs(sql: Sql): Promise<{ ready: number; active: number }> {
  const [row] = await context.with(
    suppressTracing(context.active()),
    () => sql<{ ready: number; active: number }[]>`
      select count(*) filter (where state in ('created', 'retry') and start_after <= now())::int as ready,
             count(*) filter (where state = 'active')::int as active
      from pgboss.job where name = any(${QUEUE_NAMES}) and state in ('created', 'retry', 'active')`,
  )
  return row!
}
