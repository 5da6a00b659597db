// The emulator's account: every object by id, a clock that tests can move
// forward, Stripe's list envelope with cursor pagination, `expand[]`, and the
// events each change emits (snapshots of the object at that moment).
import { invalid } from './stripeError.ts'
import { stripeId } from './stripeIds.ts'
import { optInt, optString, type Params } from './params.ts'

export type StripeObject = { id: string; object: string; created: number; [field: string]: unknown }
export type StripeEvent = StripeObject & { type: string; data: { object: StripeObject; previous_attributes?: Record<string, unknown> } }
export type ListPage = { object: 'list'; data: StripeObject[]; has_more: boolean; url: string }

export const API_VERSION = '2026-10-28.endive'

export class StripeStore {
  private readonly objects = new Map<string, StripeObject>()
  private readonly order = new Map<string, number>()
  private sequence = 0
  private offsetSeconds = 0
  /** Called with every event as it is created (the webhook dispatcher listens). */
  onEvent: (event: StripeEvent) => void = () => {}
  /** The API request currently being served, recorded on the events it causes. */
  currentRequest: { id: string; idempotencyKey: string | null } | null = null
  /** Customers whose payments fail (a test's stand-in for a declined card). */
  readonly declines = new Set<string>()

  constructor(readonly baseUrl: string) {}

  /** Seconds since the epoch on the emulator's clock. */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.offsetSeconds
  }

  advanceClock(seconds: number): void {
    this.offsetSeconds += seconds
  }

  insert<T extends StripeObject>(object: T): T {
    this.objects.set(object.id, object)
    this.order.set(object.id, ++this.sequence)
    return object
  }

  newId(prefix: string): string {
    return stripeId(prefix)
  }

  find(id: string): StripeObject | undefined {
    return this.objects.get(id)
  }

  /** All objects of a kind, newest first (the API's list order). */
  all(kind: string): StripeObject[] {
    return [...this.objects.values()].filter((o) => o.object === kind).sort((a, b) => this.order.get(b.id)! - this.order.get(a.id)!)
  }

  /** Stripe's list envelope with `limit` (1–100, default 10), `starting_after` and `ending_before`. */
  page(items: StripeObject[], params: Params, url: string): ListPage {
    const limit = optInt(params, 'limit') ?? 10
    if (limit < 1 || limit > 100) throw invalid('This value must be greater than or equal to 1 and less than or equal to 100.', 'limit')
    const after = optString(params, 'starting_after')
    const before = optString(params, 'ending_before')
    let start = 0
    let end = items.length
    if (after) {
      const i = items.findIndex((o) => o.id === after)
      if (i < 0) throw invalid(`No such object: '${after}'`, 'starting_after')
      start = i + 1
    } else if (before) {
      const i = items.findIndex((o) => o.id === before)
      if (i < 0) throw invalid(`No such object: '${before}'`, 'ending_before')
      end = i
      start = Math.max(0, end - limit)
    }
    const data = items.slice(start, Math.min(end, start + limit))
    const hasMore = before ? start > 0 : start + limit < end
    return { object: 'list', data, has_more: hasMore, url }
  }

  /** A fresh copy with `expand[]` paths (`data.product`, `items.data.price.product`, `latest_invoice`) filled in. */
  render(value: unknown, expand: string[]): unknown {
    const copy = publicCopy(value)
    for (const path of expand) this.expandPath(copy, path.split('.'))
    return copy
  }

  private expandPath(node: unknown, path: string[]): void {
    if (!node || typeof node !== 'object' || path.length === 0) return
    const [head, ...rest] = path as [string, ...string[]]
    const holder = node as Record<string, unknown>
    const value = holder[head]
    if (head === 'data' && Array.isArray(value)) {
      for (const item of value) this.expandPath(item, rest)
      return
    }
    if (typeof value === 'string') {
      const found = this.objects.get(value)
      if (!found) return
      holder[head] = structuredClone(found)
    }
    this.expandPath(holder[head], rest)
  }

  /** Records an event with a snapshot of `object` and hands it to the webhook dispatcher. */
  emit(type: string, object: StripeObject, previousAttributes?: Record<string, unknown>): StripeEvent {
    const event: StripeEvent = {
      id: stripeId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: this.now(),
      data: {
        object: publicCopy(object) as StripeObject,
        ...(previousAttributes ? { previous_attributes: structuredClone(previousAttributes) } : {}),
      },
      livemode: false,
      pending_webhooks: 0,
      request: { id: this.currentRequest?.id ?? null, idempotency_key: this.currentRequest?.idempotencyKey ?? null },
      type,
    }
    this.insert(event)
    this.onEvent(event)
    return event
  }
}

/** A deep copy without the emulator's own bookkeeping fields (named `_…`). */
export function publicCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(publicCopy)
  if (!value || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) if (!key.startsWith('_')) out[key] = publicCopy(field)
  return out
}
