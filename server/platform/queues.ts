// The one map from queue name to payload type, used by both `send` and `work`,
// plus each queue's retry policy. Every queue gets a dead-letter queue named
// `<queue>.dead` where jobs land after their last retry.
import type { QueueOptions } from 'pg-boss'

export type QueuePayloads = {
  maintenance: Record<string, never>
  /** Source -> transcript segments (parse, fetch captions or transcribe). */
  ingest: { videoId: string }
  /** Segments -> chunks -> vectors, all replaced in one transaction. */
  embed: { videoId: string }
  /** Adds vectors of `model` to a collection, then switches its search to it. */
  reembed: { collectionId: string; model: string; pageSize?: number }
  /** Applies one stored Stripe webhook event (re-reads the customer's subscriptions). */
  'stripe-event': { eventId: string }
  /** Nightly: compares every paid account with Stripe and fixes drift. */
  'billing-reconcile': Record<string, never>
  /** New passages (and vectors) for a ready video an older chunker made, swapped in at once. */
  rechunk: { videoId: string }
  /**
   * One outgoing email. Account emails name the account, never a token: the
   * worker mints the link's token when it sends, so no secret sits in the job
   * table (or its dead letters) and the request does the same work whether or
   * not the address has an account.
   */
  mail: MailJob
}

export type MailJob =
  | { kind: 'verify-email'; userId: string }
  | { kind: 'already-registered'; email: string }
  | { kind: 'password-reset'; email: string }
  | { kind: 'message'; to: string; subject: string; text: string }
  /** A collection invitation by email (server/sharing/invitationMail.ts): the worker mints its link. */
  | { kind: 'invitation'; inviteId: string; inviterId: string }

export type QueueName = keyof QueuePayloads

/** pg-boss's minimum is 10. */
export const HEARTBEAT_SECONDS = 30
/** How often each process's pg-boss supervisor fails jobs whose heartbeat stopped. */
export const SUPERVISE_SECONDS = 15

export const queuePolicies: { [K in QueueName]: QueueOptions & { schedule?: string } } = {
  maintenance: { retryLimit: 2, retryDelay: 30, retryBackoff: true, expireInSeconds: 300, schedule: '*/15 * * * *' },
  // Long jobs beat every HEARTBEAT_SECONDS / 2: a worker killed mid-job (SIGKILL,
  // OOM, lost host) has its job failed and retried within about a minute
  // (heartbeat + the supervisor's pass), not after expireInSeconds.
  ingest: {
    retryLimit: 3,
    retryDelay: 10,
    retryBackoff: true,
    retryDelayMax: 300,
    expireInSeconds: 3600,
    heartbeatSeconds: HEARTBEAT_SECONDS,
  },
  embed: {
    retryLimit: 4,
    retryDelay: 5,
    retryBackoff: true,
    retryDelayMax: 300,
    expireInSeconds: 3600,
    heartbeatSeconds: HEARTBEAT_SECONDS,
  },
  reembed: {
    retryLimit: 5,
    retryDelay: 30,
    retryBackoff: true,
    retryDelayMax: 900,
    expireInSeconds: 6 * 3600,
    heartbeatSeconds: HEARTBEAT_SECONDS,
  },
  'stripe-event': { retryLimit: 8, retryDelay: 15, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 300 },
  'billing-reconcile': { retryLimit: 2, retryDelay: 600, retryBackoff: true, expireInSeconds: 3600, schedule: '17 3 * * *' },
  rechunk: { retryLimit: 4, retryDelay: 30, retryBackoff: true, retryDelayMax: 900, expireInSeconds: 3600 },
  // An SMTP server that is down for a while: 30 s, 1 min, ... up to 30 min apart, ~1 h in all.
  mail: { retryLimit: 6, retryDelay: 30, retryBackoff: true, retryDelayMax: 1800, expireInSeconds: 300 },
}

export const QUEUE_NAMES = Object.keys(queuePolicies) as QueueName[]

export function deadLetterQueue(name: QueueName): string {
  return `${name}.dead`
}
