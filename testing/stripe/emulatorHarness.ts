// Shared by the emulator tests: one emulator per file, reset before each test,
// the real SDK pointed at it, and a webhook receiver that keeps what it got.
import Stripe from 'stripe'
import { afterAll, beforeAll, beforeEach } from 'bun:test'
import { startStripeEmulator, type StripeEmulator } from './emulator.ts'

export const SECRET_KEY = 'sk_test_emulator0123456789'

export let emulator: StripeEmulator

export function useStripeEmulator(): void {
  beforeAll(async () => {
    emulator = await startStripeEmulator({ retryDelaysMs: [10, 20, 40] })
  })
  afterAll(async () => {
    await emulator.stop()
  })
  beforeEach(() => emulator.reset())
}

export function stripeClient(key = SECRET_KEY): Stripe {
  return new Stripe(key, emulator.sdkOptions)
}

export type Received = { body: string; signature: string }

/** A webhook endpoint on a free port; `status` decides each answer (default 200). */
export function startReceiver(status: (i: number, body: string) => number = () => 200) {
  const received: Received[] = []
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const body = await req.text()
      const code = status(received.length, body)
      received.push({ body, signature: req.headers.get('stripe-signature') ?? '' })
      return new Response(null, { status: code })
    },
  })
  return {
    url: `http://127.0.0.1:${server.port}/webhook`,
    received,
    types: () => received.map((r) => (JSON.parse(r.body) as { type: string }).type),
    stop: () => server.stop(true),
  }
}

/** A product with monthly and yearly prices under lookup keys `<key>_monthly` / `<key>_yearly`. */
export async function makePlan(stripe: Stripe, key: string, monthlyCents: number) {
  const product = await stripe.products.create({ name: key, metadata: { plan: key } })
  const monthly = await stripe.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: monthlyCents,
    recurring: { interval: 'month' },
    lookup_key: `${key}_monthly`,
  })
  const yearly = await stripe.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: monthlyCents * 10,
    recurring: { interval: 'year' },
    lookup_key: `${key}_yearly`,
  })
  return { product, monthly, yearly }
}

export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { type?: string; statusCode?: number; code?: string; param?: string }> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the promise to reject')
}
