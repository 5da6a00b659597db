// A typed facade over pg-boss. `send` can join the caller's postgres.js
// transaction, so a job exists if and only if the data it refers to committed.
import { SpanKind } from '@opentelemetry/api'
import { PgBoss } from 'pg-boss'
import type { QueueOptions, SendOptions } from 'pg-boss'
import type { Db } from './db.ts'
import type { Logger } from './logger.ts'
import { deadLetterQueue, QUEUE_NAMES, queuePolicies, SUPERVISE_SECONDS, type QueueName, type QueuePayloads } from './queues.ts'
import { currentTraceparent, tracingEnabled, withSpan } from './tracing.ts'

/** The W3C `traceparent` of the span that sent a job, kept in its data so the worker continues the trace. */
export type TraceCarrier = { traceparent?: string }

export type JobQueue = {
  boss: PgBoss
  send<K extends QueueName>(name: K, data: QueuePayloads[K], options?: Omit<SendOptions, 'db'> & { tx?: Db }): Promise<string | null>
  isStarted(): boolean
  retryLimit(name: QueueName): number
  stop(options?: { timeoutMs?: number }): Promise<void>
}

/** pg-boss runs its statements through our transaction when sending inside one. */
function asBossDb(tx: Db) {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const rows = await tx.unsafe(text, values as never[])
      return { rows: rows as unknown as unknown[] }
    },
  }
}

export type QueuePolicyOverrides = Partial<Record<QueueName, QueueOptions>>

export async function startJobQueue(options: {
  url: string
  logger: Logger
  max?: number
  schedule?: boolean
  policies?: QueuePolicyOverrides
}): Promise<JobQueue> {
  const boss = new PgBoss({
    connectionString: options.url,
    max: options.max ?? 4,
    application_name: 'knowledgetree-queue',
    schedule: options.schedule ?? false,
    // Failing jobs whose heartbeat stopped happens on this pass (pg-boss default: 60 s).
    superviseIntervalSeconds: SUPERVISE_SECONDS,
    monitorIntervalSeconds: SUPERVISE_SECONDS,
  })
  boss.on('error', (err) => options.logger.error('queue error', { err }))
  await boss.start()
  for (const name of QUEUE_NAMES) {
    const { schedule: _cron, ...policy } = { ...queuePolicies[name], ...options.policies?.[name] }
    await boss.createQueue(deadLetterQueue(name), { retentionSeconds: 30 * 24 * 3600 })
    // createQueue leaves an existing queue alone; updateQueue makes the policy in
    // code the one in force after a deploy.
    await boss.createQueue(name, { ...policy, deadLetter: deadLetterQueue(name) })
    await boss.updateQueue(name, { ...policy, deadLetter: deadLetterQueue(name) })
  }
  // updateQueue empties pg-boss's queue cache, and the next `send` would refill
  // it through pg-boss's own pool. Inside a caller's transaction on the embedded
  // database (one session, transactions serialised) that lookup would wait for
  // the very transaction it is part of. Fill the cache now instead.
  for (const name of QUEUE_NAMES) await boss.findJobs(name, { id: '00000000-0000-0000-0000-000000000000' })
  const limits = new Map<QueueName, number>()
  for (const name of QUEUE_NAMES) limits.set(name, options.policies?.[name]?.retryLimit ?? queuePolicies[name].retryLimit ?? 2)
  let started = true
  return {
    boss,
    async send(name, data, opts = {}) {
      const { tx, ...rest } = opts
      const send = (payload: object) => boss.send(name, payload, tx ? { ...rest, db: asBossDb(tx) } : rest)
      if (!tracingEnabled()) return send(data as object)
      return withSpan(
        `send ${name}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: { 'messaging.system': 'pg-boss', 'messaging.operation.type': 'send', 'messaging.destination.name': name },
        },
        async (span) => {
          const id = await send({ ...(data as object), traceparent: currentTraceparent() } satisfies TraceCarrier)
          if (id) span.setAttribute('messaging.message.id', id)
          return id
        },
      )
    },
    isStarted: () => started,
    retryLimit: (name) => limits.get(name) ?? 2,
    async stop({ timeoutMs = 10_000 } = {}) {
      started = false
      await boss.stop({ graceful: true, timeout: timeoutMs, close: true })
    },
  }
}
