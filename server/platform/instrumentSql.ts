// The one wrapper around the postgres.js `sql` tag (and `unsafe`, and the `tx`
// of every transaction): a client span per executed query with its statement
// text (placeholders, never values) and row count, the query duration
// histogram, and how busy the pool is. postgres.js builds a query lazily and
// runs it when it is first awaited, so that is where the span starts; a
// fragment nested in another query is never awaited and gets none.
//
// A query gets a span only inside a sampled trace (a request, a job): queries
// of requests the sampler dropped, and of background loops outside any
// operation, cost no span. The statement text and its description are worked
// out once per call site (a tagged template's strings array is the same object
// every time), not once per query.
import { SpanKind, SpanStatusCode, type Meter } from '@opentelemetry/api'
import { insideSampledSpan, tracer, tracingEnabled } from './tracing.ts'

type AnySql = ((...args: never[]) => unknown) & Record<string, unknown>
type Query = Promise<unknown> & { strings: readonly string[] }

const OPERATIONS = new Set([
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'WITH',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'SET',
  'CREATE',
  'ALTER',
  'DROP',
  'LISTEN',
  'NOTIFY',
  'COPY',
  'SAVEPOINT',
  'ANALYZE',
  'VACUUM',
  'LOCK',
  'TRUNCATE',
])
const MAX_TEXT = 2000

/** The statement as sent: each value is a `$n` placeholder. */
export function statementText(strings: readonly string[]): string {
  const text = strings.reduce((out, s, i) => (i === 0 ? s : `${out}$${i}${s}`), '')
  const squeezed = text.replace(/\s+/g, ' ').trim()
  return squeezed.length > MAX_TEXT ? `${squeezed.slice(0, MAX_TEXT)}…` : squeezed
}

/** First keyword (bounded set, so it can label a metric) and the first table named. */
export function describeStatement(text: string): { operation: string; table: string | null } {
  const keyword = /^\(?\s*([a-z]+)/i.exec(text)?.[1]?.toUpperCase() ?? 'OTHER'
  const table = /\b(?:from|into|update|join)\s+([a-z_][\w.]*)/i.exec(text)?.[1] ?? null
  return { operation: OPERATIONS.has(keyword) ? keyword : 'OTHER', table }
}

export type PoolStats = { active: number }

const POOLS = new WeakMap<object, { stats: PoolStats; max: number }>()

/** Queries and transactions in flight (holding or waiting for a connection) against the pool's size; null when not measured. */
export function poolUsage(sql: object): { inFlight: number; max: number; waiting: number } | null {
  const pool = POOLS.get(sql)
  return pool ? { inFlight: pool.stats.active, max: pool.max, waiting: Math.max(0, pool.stats.active - pool.max) } : null
}

type Statement = { text: string; operation: string; table: string | null; spanName: string }
const statements = new WeakMap<readonly string[], Statement>()

/** The statement of a query's strings, from the cache when its call site ran before. */
export function statementOf(strings: readonly string[]): Statement {
  let found = statements.get(strings)
  if (!found) {
    const text = statementText(strings)
    const { operation, table } = describeStatement(text)
    found = { text, operation, table, spanName: table ? `${operation} ${table}` : operation }
    statements.set(strings, found)
  }
  return found
}

function isQuery(value: unknown): value is Query {
  return value instanceof Promise && Array.isArray((value as { strings?: unknown }).strings)
}

/**
 * `sql` with every query observed. `meter` gets the duration histogram and the
 * pool gauges; spans are made only while tracing is on.
 */
export function instrumentSql<T>(sql: T, options: { meter: Meter | null; max: number }): T {
  const traced = tracingEnabled()
  if (!traced && !options.meter) return sql
  const pool: PoolStats = { active: 0 }
  const duration = options.meter?.createHistogram('db.client.operation.duration', {
    unit: 's',
    description: 'Time a Postgres query took, from first await to result.',
    advice: { explicitBucketBoundaries: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] },
  })
  if (options.meter) {
    // postgres.js does not expose its queues; what is observable here is how
    // many queries and transactions hold or wait for a connection.
    const { max } = options
    options.meter
      .createObservableGauge('db.client.connection.max', { unit: '{connection}', description: 'Connections this process’s pool may open.' })
      .addCallback((r) => r.observe(max))
    options.meter
      .createObservableGauge('db.client.connection.count', {
        unit: '{connection}',
        description: 'Pool connections by state: used (running a query or a transaction) or idle (free to take one; opened lazily).',
      })
      .addCallback((r) => {
        const used = Math.min(pool.active, max)
        r.observe(used, { 'db.client.connection.state': 'used' })
        r.observe(max - used, { 'db.client.connection.state': 'idle' })
      })
    options.meter
      .createObservableGauge('db.client.connection.pending_requests', {
        unit: '{request}',
        description: 'Queries and transactions waiting for a pool connection.',
      })
      .addCallback((r) => r.observe(Math.max(0, pool.active - max)))
  }

  function observe(query: Query, holdsConnection: boolean): Query {
    const then = query.then
    let running: Promise<unknown> | null = null
    const start = () => {
      const { text, operation, table, spanName } = statementOf(query.strings)
      const span =
        traced && insideSampledSpan()
          ? tracer.startSpan(spanName, {
              kind: SpanKind.CLIENT,
              attributes: table
                ? { 'db.system.name': 'postgresql', 'db.operation.name': operation, 'db.query.text': text, 'db.collection.name': table }
                : { 'db.system.name': 'postgresql', 'db.operation.name': operation, 'db.query.text': text },
            })
          : null
      const began = performance.now()
      if (holdsConnection) pool.active++
      const finish = (error: unknown) => {
        if (holdsConnection) pool.active--
        const code = (error as { code?: unknown } | null)?.code
        duration?.record(
          (performance.now() - began) / 1000,
          error
            ? { 'db.system.name': 'postgresql', 'db.operation.name': operation, 'error.type': typeof code === 'string' ? code : 'error' }
            : { 'db.system.name': 'postgresql', 'db.operation.name': operation },
        )
        if (!span) return
        if (error) {
          span.recordException(error as Error)
          span.setStatus({ code: SpanStatusCode.ERROR })
          if (typeof code === 'string') span.setAttribute('db.response.status_code', code)
        }
        span.end()
      }
      return then.call(
        query,
        (rows) => {
          const count = (rows as { count?: unknown } | null)?.count
          span?.setAttribute('db.response.returned_rows', typeof count === 'number' ? count : Array.isArray(rows) ? rows.length : 0)
          finish(null)
          return rows
        },
        (error: unknown) => {
          finish(error)
          throw error
        },
      )
    }
    // catch/finally go through then, so this one override sees every await.
    // biome-ignore lint/suspicious/noThenProperty: a postgres.js query is a thenable; its then is what we wrap.
    query.then = ((onFulfilled, onRejected) => {
      running ??= start()
      return running.then(onFulfilled, onRejected)
    }) as typeof query.then
    return query
  }

  function wrap(target: AnySql, inTransaction: boolean): AnySql {
    return new Proxy(target, {
      apply(fn, thisArg, args) {
        const result = Reflect.apply(fn, thisArg, args)
        return isQuery(result) ? observe(result, !inTransaction) : result
      },
      get(fn, property) {
        const value = Reflect.get(fn, property) as unknown
        if (typeof value !== 'function') return value
        if (property === 'unsafe' || property === 'file')
          return (...args: unknown[]) => {
            const result = (value as (...a: unknown[]) => unknown).apply(fn, args)
            return isQuery(result) ? observe(result, !inTransaction) : result
          }
        if (property === 'begin' || property === 'savepoint')
          return (...args: unknown[]) => {
            const body = args.at(-1) as (tx: AnySql) => unknown
            args[args.length - 1] = (tx: AnySql) => body(wrap(tx, true))
            if (inTransaction) return (value as (...a: unknown[]) => unknown).apply(fn, args)
            // A transaction holds one connection from BEGIN to COMMIT.
            pool.active++
            return (value as (...a: unknown[]) => Promise<unknown>).apply(fn, args).finally(() => pool.active--)
          }
        return value
      },
    })
  }

  const wrapped = wrap(sql as AnySql, false)
  POOLS.set(wrapped, { stats: pool, max: options.max })
  return wrapped as T
}
