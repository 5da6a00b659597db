// The postgres.js pool. Column names are mapped snake_case <-> camelCase here and
// nowhere else.
import type { Meter } from '@opentelemetry/api'
import postgres from 'postgres'
import { instrumentSql } from './instrumentSql.ts'

export type Sql = postgres.Sql<Record<string, unknown>>
export type TransactionSql = postgres.TransactionSql<Record<string, unknown>>
/** A pool or a transaction: what every query function takes. */
export type Db = Sql | TransactionSql
/**
 * A statement built but not sent: postgres.js sends a query when it is first
 * awaited, so awaiting this runs it on its own, and a caller may instead nest
 * it in a statement of its own (one round trip for several writes).
 */
export type SqlStep = postgres.PendingQuery<postgres.Row[]>

export type SqlOptions = {
  max?: number
  applicationName?: string
  /** Where the query and pool metrics of this process go (none: not measured). */
  meter?: Meter
  /**
   * `url` is a transaction-mode pooler (PgBouncer): no prepared statements
   * (a statement prepared on one server connection is unknown on the next),
   * and LISTEN, which needs a session of its own, goes straight to this URL.
   */
  directUrl?: string
}

export function createSql(url: string, options: SqlOptions = {}): Sql {
  const max = options.max ?? 10
  const settings = {
    transform: postgres.camel,
    onnotice: () => {},
    // An unreachable database should fail a request in seconds (503), not hang it.
    connect_timeout: 3,
    // Reconnect delay after a lost connection. postgres.js's default grows with
    // every error across the pool up to 10-20 s, so a Postgres restart left
    // queries waiting that long after it was back; capped at 2 s (jittered).
    backoff: (retries: number) => (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** retries, 2),
    idle_timeout: 60,
    connection: { application_name: options.applicationName ?? 'knowledgetree' },
  }
  let sql = postgres(url, { ...settings, max, prepare: !options.directUrl }) as unknown as Sql
  if (options.directUrl) sql = withDirectListen(sql, postgres(options.directUrl, { ...settings, max: 1 }) as unknown as Sql)
  return instrumentSql(sql, { meter: options.meter ?? null, max })
}

/** `listen` on the direct connection, everything else on the pooled one; `end` closes both. */
function withDirectListen(pooled: Sql, direct: Sql): Sql {
  return new Proxy(pooled, {
    get(target, property) {
      if (property === 'listen') return direct.listen
      if (property === 'end')
        return async (options?: { timeout?: number }) => void (await Promise.all([target.end(options), direct.end(options)]))
      return Reflect.get(target, property)
    },
  })
}

/** Names of the row fields `columns` lacks (never when it lists them all). */
type Missing<Row, Columns extends readonly (keyof Row)[]> = Exclude<keyof Row, Columns[number]>

/**
 * The columns of a row type, declared once beside it: `columnsOf<VideoRow>()(['id', …])`.
 * A field of the row that the list lacks, or a name that is no field, does not
 * compile. The camelCase names become snake_case columns through the pool's
 * transform, so `select ${db(VIDEO_COLUMNS)}` reads exactly the row.
 */
export function columnsOf<Row>() {
  return <const Columns extends readonly (keyof Row & string)[]>(
    columns: Columns & ([Missing<Row, Columns>] extends [never] ? unknown : { missing: Missing<Row, Columns> }),
  ): readonly string[] => columns
}

// SQLSTATEs we branch on, by name.
export const PG = {
  UNIQUE_VIOLATION: '23505',
  FOREIGN_KEY_VIOLATION: '23503',
  CHECK_VIOLATION: '23514',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
  ADMIN_SHUTDOWN: '57P01',
  CANNOT_CONNECT_NOW: '57P03',
  CONNECTION_FAILURE: '08006',
} as const

// The database is unreachable or refusing connections: a 503 to retry, not a bug.
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
])
const UNAVAILABLE_SQLSTATES = new Set<string>([PG.ADMIN_SHUTDOWN, '57P02', PG.CANNOT_CONNECT_NOW, '53300'])

export function isDatabaseUnavailable(err: unknown): boolean {
  const code = pgErrorCode(err)
  return code !== undefined && (CONNECTION_ERRORS.has(code) || code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code))
}

export function pgErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}
