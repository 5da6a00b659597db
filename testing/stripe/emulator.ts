// A local, protocol-faithful stand-in for the Stripe API, for tests, benchmarks
// and keyless local dev only: the product never defaults to it. Point the real
// SDK at it with `new Stripe(key, { host, port, protocol: 'http' })`, act, then
// assert on `requests`, the objects it holds and the webhooks it delivered.
import { IdempotencyKeys } from './idempotency.ts'
import { hostedPage } from './hostedPages.ts'
import { parseParams, type Params } from './params.ts'
import { ListResult, routes } from './routes.ts'
import { runDueBilling } from './resources/subscriptions.ts'
import { completeCheckoutSession } from './resources/checkoutSessions.ts'
import { API_VERSION, StripeStore, type StripeEvent, type StripeObject } from './store.ts'
import { StripeApiError } from './stripeError.ts'
import { stripeId } from './stripeIds.ts'
import { WebhookDispatcher, type DeliveryAttempt, type DeliveryMode, type WebhookEndpoint } from './webhookDelivery.ts'

export { signatureHeader, type DeliveryAttempt, type DeliveryMode } from './webhookDelivery.ts'
export { API_VERSION, type StripeEvent, type StripeObject } from './store.ts'

export type RecordedStripeRequest = {
  method: string
  path: string
  params: Params
  idempotencyKey: string | null
  stripeVersion: string | null
  status: number
  replayed: boolean
}

export type StripeEmulatorOptions = {
  port?: number
  hostname?: string
  /** Accepted secret keys. Default: any `sk_test_…` or `rk_test_…` key. */
  apiKeys?: string[]
  /** Webhook endpoints to deliver to from the start (`secret` defaults to a fresh `whsec_…`). */
  webhooks?: { url: string; secret?: string; enabledEvents?: string[] }[]
  /** Waits between delivery retries. Default [50, 250, 1000] ms (Stripe waits hours; tests cannot). */
  retryDelaysMs?: number[]
}

export type StripeEmulator = {
  url: string
  host: string
  port: number
  /** Options for `new Stripe(key, …)` that reach this emulator. */
  sdkOptions: { host: string; port: number; protocol: 'http'; maxNetworkRetries: number; telemetry: false }
  /** Every API request (not hosted pages), in arrival order. */
  requests: RecordedStripeRequest[]
  /** Every webhook delivery attempt. */
  deliveries: DeliveryAttempt[]
  addWebhookEndpoint(endpoint: { url: string; secret?: string; enabledEvents?: string[] }): WebhookEndpoint
  setDeliveryMode(mode: DeliveryMode): void
  heldEvents(): { id: string; type: string }[]
  releaseEvents(eventIds?: string[]): Promise<void>
  resendEvent(eventId: string): Promise<void>
  /** Resolves when every delivery (and retry) so far has finished. */
  webhooksIdle(): Promise<void>
  /** Events of the account, oldest first. */
  events(type?: string): StripeEvent[]
  get(id: string): StripeObject | undefined
  all(kind: string): StripeObject[]
  /** Makes this customer's payments fail (true) or succeed again (false). */
  setPaymentsDecline(customerId: string, decline: boolean): void
  /** Moves the account's clock: renewals and payment retries that fall due run, and their webhooks go out. */
  advanceTime(seconds: number): void
  /** What opening a Checkout Session's URL does. */
  completeCheckout(sessionId: string): boolean
  /** A fresh account: objects, requests, deliveries, modes, held events and endpoints (back to `options.webhooks`); pending retries are dropped. */
  reset(): void
  stop(): Promise<void>
}

export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const hostname = options.hostname ?? '127.0.0.1'
  const requests: RecordedStripeRequest[] = []
  const webhooks = new WebhookDispatcher(options.retryDelaysMs ?? [50, 250, 1000])
  const idempotency = new IdempotencyKeys()
  let store: StripeStore
  const resetStore = (baseUrl: string) => {
    store = new StripeStore(baseUrl)
    store.onEvent = (event) => webhooks.add(event)
  }

  function authorized(req: Request): string | null {
    const auth = req.headers.get('authorization') ?? ''
    const key = auth.startsWith('Bearer ') ? auth.slice(7) : auth.startsWith('Basic ') ? atob(auth.slice(6)).replace(/:$/, '') : ''
    if (!key)
      return "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
    const ok = options.apiKeys ? options.apiKeys.includes(key) : /^(sk|rk)_test_\w+$/.test(key)
    return ok ? null : `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`
  }

  async function api(req: Request, path: string, requestId: string): Promise<Response> {
    const query = new URL(req.url).search.slice(1)
    const params =
      req.method === 'GET' || req.method === 'DELETE'
        ? parseParams(query || (req.method === 'DELETE' ? await req.text() : ''))
        : parseParams(await req.text())
    const idempotencyKey = req.headers.get('idempotency-key')
    const record: RecordedStripeRequest = {
      method: req.method,
      path,
      params,
      idempotencyKey,
      stripeVersion: req.headers.get('stripe-version'),
      status: 0,
      replayed: false,
    }
    requests.push(record)
    const respond = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status
      return Response.json(body, {
        status,
        headers: {
          'request-id': requestId,
          'stripe-version': record.stripeVersion ?? API_VERSION,
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          ...headers,
        },
      })
    }
    const authError = authorized(req)
    if (authError) return respond(401, { error: { type: 'invalid_request_error', message: authError } })
    const route = routes.find((r) => r.method === req.method && r.pattern.test(path))
    if (!route)
      return respond(404, {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${req.method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        },
      })
    const writes = req.method !== 'GET'
    if (writes && idempotencyKey) {
      const seen = idempotency.lookup(idempotencyKey, req.method, path, params, store.now())
      if (seen.kind === 'mismatch') return respond(400, { error: { type: 'idempotency_error', message: seen.message } })
      if (seen.kind === 'replay') {
        record.replayed = true
        return respond(seen.status, seen.body, { 'idempotent-replayed': 'true' })
      }
    }
    let status = 200
    let body: unknown
    store.currentRequest = { id: requestId, idempotencyKey }
    try {
      const id = decodeURIComponent(path.match(route.pattern)![1] ?? '')
      const result = route.handle({ store, params, id, webhooks })
      const expand = (
        params.expand === undefined ? [] : Array.isArray(params.expand) ? params.expand : Object.values(params.expand as object)
      ).map(String)
      body = result instanceof ListResult ? store.render(store.page(result.items, params, path), expand) : store.render(result, expand)
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error
      status = error.status
      body = error.body()
      // A request refused by validation saves no idempotent result (Stripe's rule).
      if (error.status === 400 || error.status === 404) return respond(status, body)
    } finally {
      store.currentRequest = null
      webhooks.flush()
    }
    if (writes && idempotencyKey) idempotency.save(idempotencyKey, req.method, path, params, status, body, store.now())
    return respond(status, body)
  }

  const server = Bun.serve({
    hostname,
    port: options.port ?? 0,
    async fetch(req) {
      const path = new URL(req.url).pathname
      const requestId = stripeId('req')
      if (path.startsWith('/v1/')) return api(req, path, requestId)
      const response = await hostedPage(store, req, path)
      webhooks.flush()
      return response ?? new Response('Not found', { status: 404 })
    },
    error(error) {
      console.error('stripe emulator: unhandled error', error)
      return Response.json(
        { error: { type: 'api_error', message: 'An unknown error occurred' } },
        { status: 500, headers: { 'stripe-should-retry': 'false' } },
      )
    },
  })
  const url = `http://${hostname}:${server.port}`
  resetStore(url)
  const addWebhookEndpoint = (e: { url: string; secret?: string; enabledEvents?: string[] }) => {
    const endpoint = { id: stripeId('we'), url: e.url, secret: e.secret ?? stripeId('whsec'), enabledEvents: e.enabledEvents ?? ['*'] }
    webhooks.endpoints.push(endpoint)
    return endpoint
  }
  for (const endpoint of options.webhooks ?? []) addWebhookEndpoint(endpoint)

  return {
    url,
    host: hostname,
    port: server.port!,
    sdkOptions: { host: hostname, port: server.port!, protocol: 'http', maxNetworkRetries: 0, telemetry: false },
    requests,
    deliveries: webhooks.attempts,
    addWebhookEndpoint,
    setDeliveryMode: (mode) => void (webhooks.mode = mode),
    heldEvents: () => webhooks.heldEvents(),
    releaseEvents: (ids) => webhooks.release(ids),
    resendEvent(id) {
      const event = store.find(id)
      if (!event || event.object !== 'event') throw new Error(`stripe emulator: no event ${id}`)
      return webhooks.resend(event as StripeEvent)
    },
    webhooksIdle: () => webhooks.idle(),
    events: (type) => (store.all('event') as StripeEvent[]).filter((e) => !type || e.type === type).reverse(),
    get: (id) => store.find(id),
    all: (kind) => store.all(kind),
    setPaymentsDecline(customerId, decline) {
      if (decline) store.declines.add(customerId)
      else store.declines.delete(customerId)
    },
    advanceTime(seconds) {
      store.advanceClock(seconds)
      runDueBilling(store)
      webhooks.flush()
    },
    completeCheckout(sessionId) {
      const result = completeCheckoutSession(store, sessionId)
      webhooks.flush()
      return result.ok
    },
    reset() {
      requests.length = 0
      webhooks.attempts.length = 0
      webhooks.forget()
      webhooks.endpoints.length = 0
      for (const endpoint of options.webhooks ?? []) addWebhookEndpoint(endpoint)
      idempotency.clear()
      resetStore(url)
    },
    async stop() {
      await server.stop(true)
    },
  }
}
