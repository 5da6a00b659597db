// The one map from queue name to payload type, used by both `send` and `work`,
// plus each queue's retry policy. Every queue gets a dead-letter queue named
// `<queue>.dead` where jobs land after their last retry.
import type { QueueOptions } from 'pg-boss'

export type QueuePayloads = {
  maintenance: Record<string, never>
}

export type QueueName = keyof QueuePayloads

export const queuePolicies: { [K in QueueName]: QueueOptions & { schedule?: string } } = {
  maintenance: { retryLimit: 2, retryDelay: 30, retryBackoff: true, expireInSeconds: 300, schedule: '*/15 * * * *' },
}

export const QUEUE_NAMES = Object.keys(queuePolicies) as QueueName[]

export function deadLetterQueue(name: QueueName): string {
  return `${name}.dead`
}
