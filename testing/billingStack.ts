// A test app with billing on: the Stripe emulator (catalogue synced through the
// real SDK), the app behind a real port so the emulator can deliver webhooks,
// and a worker that applies them.
import Stripe from 'stripe'
import { loadCatalogue } from '../server/billing/catalogue.ts'
import { syncCatalogue } from '../server/billing/catalogueSync.ts'
import type { JobQueue } from '../server/platform/jobQueue.ts'
import { startStripeEmulator, type StripeEmulator } from './stripe/emulator.ts'
import { createTestApp, type TestApp } from './testApp.ts'
import { startTestWorker } from './testWorker.ts'

export const STRIPE_KEY = 'sk_test_knowledgetree_tests'
export const WEBHOOK_SECRET = 'whsec_knowledgetree_tests_0123456789'

export type BillingStack = TestApp & { stripe: Stripe; emulator: StripeEmulator; webhookUrl: string; worker: JobQueue }

export async function startBillingStack(env: Record<string, string> = {}): Promise<BillingStack> {
  const emulator = await startStripeEmulator({ retryDelaysMs: [20, 100, 500] })
  const stripe = new Stripe(STRIPE_KEY, emulator.sdkOptions)
  await syncCatalogue(stripe, loadCatalogue())
  const ctx = await createTestApp({
    STRIPE_SECRET_KEY: STRIPE_KEY,
    STRIPE_API_URL: emulator.url,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ...env,
  })
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (req) => ctx.app.handle(req) })
  const webhookUrl = `http://127.0.0.1:${server.port}/api/billing/webhook`
  emulator.addWebhookEndpoint({ url: webhookUrl, secret: WEBHOOK_SECRET })
  emulator.requests.length = 0
  const worker = await startTestWorker(ctx)
  return {
    ...ctx,
    stripe,
    emulator,
    webhookUrl,
    worker,
    async close() {
      await worker.stop({ timeoutMs: 1000 })
      server.stop(true)
      await emulator.stop()
      await ctx.close()
    },
  }
}

/** Waits until every stored Stripe event has been applied by the worker. */
export async function eventsApplied(stack: BillingStack, timeoutMs = 20_000): Promise<void> {
  await stack.emulator.webhooksIdle()
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [row] = await stack.db.sql<{ pending: number }[]>`select count(*)::int as pending from stripe_events where processed_at is null`
    if (row!.pending === 0) return
    if (Date.now() > deadline) throw new Error(`${row!.pending} Stripe events not applied within ${timeoutMs} ms`)
    await Bun.sleep(25)
  }
}
