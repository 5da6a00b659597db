// Webhook delivery signed exactly like Stripe: a pretty-printed JSON event,
// `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the
// endpoint secret>`. A non-2xx answer or a dropped connection is retried on a
// schedule. Tests can ask for each event twice, for the events one request
// caused in reverse order, or hold them to release in any order they like.

export type WebhookEndpoint = { id: string; url: string; secret: string; enabledEvents: string[] }
export type DeliveryMode = { duplicate?: boolean; reverse?: boolean; hold?: boolean }
export type DeliveryAttempt = {
  eventId: string
  type: string
  endpointId: string
  attempt: number
  status: number | null
  error?: string
  at: number
}
type Pending = { event: { id: string; type: string }; body: string }

export async function signatureHeader(body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${timestamp}.${body}`))
  return `t=${timestamp},v1=${Buffer.from(mac).toString('hex')}`
}

export class WebhookDispatcher {
  readonly endpoints: WebhookEndpoint[] = []
  readonly attempts: DeliveryAttempt[] = []
  mode: DeliveryMode = {}
  private batch: Pending[] = []
  private held: Pending[] = []
  private inFlight = new Set<Promise<void>>()
  private generation = 0

  constructor(private readonly retryDelaysMs: number[]) {}

  /** Collects an event; `flush` sends what one API request (or clock move) produced. */
  add(event: { id: string; type: string }): void {
    this.batch.push({ event, body: JSON.stringify(event, null, 2) })
  }

  flush(): void {
    const batch = this.mode.reverse ? this.batch.reverse() : this.batch
    this.batch = []
    if (this.mode.hold) {
      this.held.push(...batch)
      return
    }
    this.track(this.sendInOrder(batch))
  }

  /** Events held back (`mode.hold`), oldest first. */
  heldEvents(): { id: string; type: string }[] {
    return this.held.map((p) => p.event)
  }

  /** Sends held events: the ones named, in that order, or all of them. */
  release(eventIds?: string[]): Promise<void> {
    const chosen = eventIds ? eventIds.map((id) => this.held.find((p) => p.event.id === id) ?? fail(id)) : [...this.held]
    this.held = this.held.filter((p) => !chosen.includes(p))
    return this.track(this.sendInOrder(chosen))
  }

  /** Sends an event again (Stripe's "Resend"), byte for byte. */
  resend(event: { id: string; type: string }): Promise<void> {
    return this.track(this.sendInOrder([{ event, body: JSON.stringify(event, null, 2) }]))
  }

  /** Drops held events, the mode and the record, and stops retries already scheduled. */
  forget(): void {
    this.generation++
    this.mode = {}
    this.batch = []
    this.held = []
    this.attempts.length = 0
  }

  /** Resolves when nothing is being sent or waiting for a retry. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight])
  }

  private track(work: Promise<void>): Promise<void> {
    this.inFlight.add(work)
    void work.finally(() => this.inFlight.delete(work))
    return work
  }

  private async sendInOrder(batch: Pending[]): Promise<void> {
    for (const pending of batch) {
      for (const endpoint of this.endpoints) {
        if (!endpoint.enabledEvents.includes('*') && !endpoint.enabledEvents.includes(pending.event.type)) continue
        const copies = this.mode.duplicate ? 2 : 1
        for (let i = 0; i < copies; i++) {
          const ok = await this.attempt(endpoint, pending, 1)
          if (!ok) this.track(this.retry(endpoint, pending))
        }
      }
    }
  }

  private async retry(endpoint: WebhookEndpoint, pending: Pending): Promise<void> {
    const generation = this.generation
    for (const [i, delay] of this.retryDelaysMs.entries()) {
      await Bun.sleep(delay)
      if (generation !== this.generation || (await this.attempt(endpoint, pending, i + 2))) return
    }
  }

  private async attempt(endpoint: WebhookEndpoint, pending: Pending, attempt: number): Promise<boolean> {
    const record: DeliveryAttempt = {
      eventId: pending.event.id,
      type: pending.event.type,
      endpointId: endpoint.id,
      attempt,
      status: null,
      at: Date.now(),
    }
    this.attempts.push(record)
    try {
      const res = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': await signatureHeader(pending.body, endpoint.secret),
        },
        body: pending.body,
        signal: AbortSignal.timeout(10_000),
      })
      await res.arrayBuffer()
      record.status = res.status
      return res.status >= 200 && res.status < 300
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error)
      return false
    }
  }
}

function fail(id: string): never {
  throw new Error(`stripe emulator: event ${id} is not held`)
}
