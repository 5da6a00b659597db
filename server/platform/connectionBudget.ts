// How many Postgres connections each process holds, in one place, so the fleet
// total can be checked against the server's limit:
//   api instances × apiShare + workers × workerShare + supervisors ≤ max_connections − reserved
// Each process logs its share at start next to what the server allows and
// already has open, and warns when it would not fit.
import type { Config } from './config.ts'
import type { Sql } from './db.ts'
import type { Logger } from './logger.ts'

export type ProcessRole = 'api' | 'worker' | 'supervisor'
/** pool: the postgres.js query pool; listen: its LISTEN connection; queue: pg-boss's own pool. */
export type ConnectionShare = { role: ProcessRole; pool: number; listen: number; queue: number; total: number; pooled: boolean }

/** pg-boss pool sizes: the api only sends jobs, a worker also fetches and settles them. */
export const QUEUE_POOL_MAX = { api: 3, worker: 4 } as const

/** A worker runs WORKER_CONCURRENCY jobs per queue at once, plus one connection for the rest. */
export function workerPoolMax(config: Pick<Config, 'WORKER_CONCURRENCY'>): number {
  return Math.max(2, config.WORKER_CONCURRENCY + 1)
}

function share(role: ProcessRole, pool: number, listen: number, queue: number, pooled = false): ConnectionShare {
  // Through a pooler, the query pool's connections are the pooler's clients, not the server's.
  return { role, pool, listen, queue, total: (pooled ? 0 : pool) + listen + queue, pooled }
}

export function connectionShare(
  role: ProcessRole,
  config: Pick<Config, 'DB_POOL_MAX' | 'WORKER_CONCURRENCY' | 'DATABASE_POOLER_URL'>,
): ConnectionShare {
  if (role === 'api') return share('api', config.DB_POOL_MAX, 1, QUEUE_POOL_MAX.api, Boolean(config.DATABASE_POOLER_URL))
  if (role === 'worker') return share('worker', workerPoolMax(config), 0, QUEUE_POOL_MAX.worker)
  return share('supervisor', 1, 0, 0)
}

export type FleetPlan = { apiInstances: number; workers: number; supervisors: number; poolerServerConnections?: number }

/** Server connections a whole fleet holds at most (a pooler's own server pool counted once, when given). */
export function fleetConnections(
  plan: FleetPlan,
  config: Pick<Config, 'DB_POOL_MAX' | 'WORKER_CONCURRENCY' | 'DATABASE_POOLER_URL'>,
): number {
  const api = connectionShare('api', config).total * plan.apiInstances
  const workers = connectionShare('worker', config).total * plan.workers
  const supervisors = connectionShare('supervisor', config).total * plan.supervisors
  return api + workers + supervisors + (config.DATABASE_POOLER_URL ? (plan.poolerServerConnections ?? 0) : 0)
}

export type ServerConnections = { maxConnections: number; reserved: number; open: number }

export async function readServerConnections(sql: Sql): Promise<ServerConnections> {
  const [row] = await sql<{ maxConnections: number; reserved: number; open: number }[]>`
    select current_setting('max_connections')::int as max_connections,
           current_setting('superuser_reserved_connections')::int as reserved,
           (select count(*)::int from pg_stat_activity where backend_type = 'client backend') as open`
  return row!
}

/**
 * Logs this process's share and what the server allows; warns when the share
 * does not fit beside the connections already open. `fleet`: the most this
 * host's kind of process may add (the supervisor: WORKERS_MAX workers).
 */
export async function logConnectionBudget(
  sql: Sql,
  logger: Logger,
  own: ConnectionShare,
  fleet?: { label: string; connections: number },
): Promise<void> {
  const server = await readServerConnections(sql).catch(() => null)
  const available = server ? server.maxConnections - server.reserved : null
  logger.info('connection budget', {
    role: own.role,
    pool: own.pool,
    listen: own.listen,
    queue: own.queue,
    connections: own.total,
    ...(own.pooled ? { poolThroughPooler: true } : {}),
    ...(fleet ? { [fleet.label]: fleet.connections } : {}),
    ...(server ? { serverMaxConnections: server.maxConnections, serverReserved: server.reserved, serverOpen: server.open } : {}),
  })
  if (available === null || !server) return
  const wanted = fleet ? fleet.connections : own.total
  if (server.open + wanted > available)
    logger.warn('connection budget exceeded: this process may not get the connections it is configured for', {
      wanted,
      alreadyOpen: server.open,
      available,
      fix: 'raise max_connections, lower DB_POOL_MAX / WORKER_CONCURRENCY / WORKERS_MAX, or put PgBouncer in front (docs/SCALING.md)',
    })
}
