// The one Stripe client: official SDK, API version pinned, endpoint
// configurable (STRIPE_API_URL, for the emulator in tests and local dev).
// Only the async webhook helpers are used: under Bun the SDK's crypto is
// SubtleCrypto, whose synchronous variants throw.
import Stripe from 'stripe'

/** Pinned: the shapes this code reads (periods on subscription items, invoice `parent`) are this version's. */
export const STRIPE_API_VERSION = '2026-10-28.endive'

export function createStripe(secretKey: string, apiUrl?: string): Stripe {
  const endpoint = apiUrl ? new URL(apiUrl) : null
  return new Stripe(secretKey, {
    apiVersion: STRIPE_API_VERSION as Stripe.LatestApiVersion,
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'KnowledgeTree' },
    ...(endpoint
      ? {
          host: endpoint.hostname,
          port: Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80)),
          protocol: endpoint.protocol.slice(0, -1) as 'http' | 'https',
        }
      : {}),
  })
}

export const WEBHOOK_TOLERANCE_SECONDS = 300

/** Verifies the signature over the raw bytes (300 s tolerance); throws StripeSignatureVerificationError otherwise. */
export function verifyWebhook(stripe: Stripe, rawBody: string, signature: string, secret: string): Promise<Stripe.Event> {
  return stripe.webhooks.constructEventAsync(rawBody, signature, secret, WEBHOOK_TOLERANCE_SECONDS)
}

export { Stripe }
