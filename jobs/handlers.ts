// Which function handles which queue: every queue of server/platform/queues.ts
// needs its handler here, or this does not compile.
import { billingReconcile } from './queues/billingReconcile.ts'
import { embed } from './queues/embed.ts'
import { ingest } from './queues/ingest.ts'
import { mail } from './queues/mail.ts'
import { maintenance } from './queues/maintenance.ts'
import { rechunk } from './queues/rechunk.ts'
import { reembed } from './queues/reembed.ts'
import { stripeEvent } from './queues/stripeEvent.ts'
import type { JobHandlers } from './worker.ts'

export const handlers = {
  maintenance,
  ingest,
  embed,
  reembed,
  'stripe-event': stripeEvent,
  'billing-reconcile': billingReconcile,
  rechunk,
  mail,
} satisfies JobHandlers
