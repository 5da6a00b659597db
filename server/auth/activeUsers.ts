// Active users for Prometheus: distinct users with an authenticated request in
// the last 5 and 60 minutes (users.last_seen_at, written by the session cache
// at most once a minute per user and process). Read from the database at
// scrape time, so every api process reports the same fleet-wide figure:
// aggregate with max(), never sum().
import { context, type Meter } from '@opentelemetry/api'
import { suppressTracing } from '@opentelemetry/core'
import type { Sql } from '../platform/db.ts'
import { countActiveUsers } from './sql.ts'

export function observeActiveUsers(meter: Meter, sql: Sql): void {
  meter
    .createObservableGauge('kt.users.active', {
      unit: '{user}',
      description: 'Distinct users with an authenticated request in the window (5m or 1h). Fleet-wide: aggregate with max().',
    })
    .addCallback(async (r) => {
      // Not a span per scrape: this is the scraper's query, not the product's.
      const counts = await context.with(suppressTracing(context.active()), () => countActiveUsers(sql)).catch(() => null)
      if (!counts) return // the database is away: report nothing rather than zeros
      r.observe(counts.last5m, { window: '5m' })
      r.observe(counts.last1h, { window: '1h' })
    })
}
