// Liveness and readiness. /readyz answers 503 with the reason until the
// database answers, the schema is current and the job queue is up, and goes
// back to 200 by itself when they recover. The database check is bounded: a
// pool whose connections are all taken makes /readyz fail within
// `acquireTimeoutMs`, saying so, rather than queue behind the requests.
import { Elysia, t } from 'elysia'
import type { Sql } from './db.ts'
import { poolUsage } from './instrumentSql.ts'
import type { Logger } from './logger.ts'
import { pendingMigrations, readMigrationFiles } from './migrations.ts'

export type ReadinessDeps = { sql: Sql; queueStarted: () => boolean; migrationsDir?: string; acquireTimeoutMs?: number; logger?: Logger }

const DB_CHECK_TIMEOUT_MS = 2_000

/** Why the database check timed out: the pool is full (a capacity problem) or the server does not answer. */
function timeoutReason(sql: Sql, timeoutMs: number): string {
  const usage = poolUsage(sql)
  if (usage && usage.inFlight > usage.max)
    return `database pool exhausted: no connection within ${timeoutMs} ms (${usage.waiting} queries waiting for ${usage.max} connections)`
  return 'database unreachable'
}

export async function checkReadiness(
  deps: ReadinessDeps,
  migrationNames?: string[],
): Promise<{ ready: true } | { ready: false; reason: string }> {
  let pending: string[]
  const timeoutMs = deps.acquireTimeoutMs ?? DB_CHECK_TIMEOUT_MS
  let timedOut = false
  try {
    const check = (async () => {
      await deps.sql`select 1`
      return pendingMigrations(deps.sql, deps.migrationsDir, migrationNames)
    })()
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => {
        timedOut = true
        reject(new Error('timeout'))
      }, timeoutMs).unref?.(),
    )
    pending = await Promise.race([check, timeout])
  } catch {
    const reason = timedOut ? timeoutReason(deps.sql, timeoutMs) : 'database unreachable'
    deps.logger?.error('not ready', { reason })
    return { ready: false, reason }
  }
  if (pending.length) return { ready: false, reason: `migrations pending: ${pending.join(', ')}` }
  if (!deps.queueStarted()) return { ready: false, reason: 'job queue not started' }
  return { ready: true }
}

const Readiness = t.Object({ status: t.Union([t.Literal('ready'), t.Literal('unavailable')]), reason: t.Optional(t.String()) })

export function healthRoutes(deps: ReadinessDeps) {
  // The files do not change while the process runs: read them once, not per probe.
  const migrationNames = readMigrationFiles(deps.migrationsDir).map((f) => f.name)
  return new Elysia({ name: 'health' })
    .get('/healthz', () => ({ status: 'ok' as const }), {
      detail: { summary: 'Process is alive', tags: ['health'] },
      response: t.Object({ status: t.Literal('ok') }),
    })
    .get(
      '/readyz',
      async ({ set }) => {
        const r = await checkReadiness(deps, migrationNames)
        set.headers['cache-control'] = 'no-store'
        if (r.ready) return { status: 'ready' as const }
        set.status = 503
        return { status: 'unavailable' as const, reason: r.reason }
      },
      { detail: { summary: 'Ready to serve traffic', tags: ['health'] }, response: { 200: Readiness, 503: Readiness } },
    )
}
