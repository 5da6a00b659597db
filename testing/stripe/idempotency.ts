// Idempotent requests as Stripe keeps them: the first result for a key (status
// and body) is saved once the endpoint started executing and replayed for 24
// hours with `Idempotent-Replayed: true`; the same key with other parameters or
// on another endpoint is a 400 `idempotency_error`. Requests that fail
// validation save nothing, so they can be fixed and sent again with the key.

type Saved = { method: string; path: string; fingerprint: string; status: number; body: unknown; savedAt: number }

const TTL_SECONDS = 24 * 3600

export type IdempotencyLookup = { kind: 'new' } | { kind: 'replay'; status: number; body: unknown } | { kind: 'mismatch'; message: string }

export class IdempotencyKeys {
  private readonly saved = new Map<string, Saved>()

  lookup(key: string, method: string, path: string, params: unknown, now: number): IdempotencyLookup {
    const hit = this.saved.get(key)
    if (!hit || now - hit.savedAt > TTL_SECONDS) return { kind: 'new' }
    if (hit.method !== method || hit.path !== path) {
      return {
        kind: 'mismatch',
        message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${hit.method} ${hit.path}' vs '${method} ${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      }
    }
    if (hit.fingerprint !== fingerprint(params)) {
      return {
        kind: 'mismatch',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      }
    }
    return { kind: 'replay', status: hit.status, body: hit.body }
  }

  save(key: string, method: string, path: string, params: unknown, status: number, body: unknown, now: number): void {
    this.saved.set(key, { method, path, fingerprint: fingerprint(params), status, body, savedAt: now })
  }

  clear(): void {
    this.saved.clear()
  }
}

/** Parameters compared regardless of the order they were sent in. */
function fingerprint(params: unknown): string {
  return JSON.stringify(sortKeys(params))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (!value || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  )
}
