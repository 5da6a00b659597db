// A local Sentry envelope receiver for tests: accepts what the real Sentry SDKs
// send (`POST /api/<project>/envelope/`, the key in `sentry_key` or the
// X-Sentry-Auth header, gzip or plain, CORS for the browser SDK), decodes the
// envelope (a header line, then item header + payload pairs) and keeps every
// item in memory with the raw text it came in, so a test can assert both what
// arrived and that something never appears anywhere in it.
import { gunzipSync } from 'node:zlib'

export type EnvelopeItem = { type: string; payload: Record<string, unknown> }
export type Envelope = { header: Record<string, unknown>; items: EnvelopeItem[]; raw: string; project: string; key: string | null }

export type SentryReceiver = {
  /** DSN naming this receiver (public key `testkey`, project 42). */
  dsn: string
  envelopes: Envelope[]
  /** Payloads of the `event` items (errors and messages) received so far. */
  events(): Record<string, unknown>[]
  waitFor(predicate: (envelopes: Envelope[]) => boolean, timeoutMs?: number): Promise<Envelope[]>
  stop(): Promise<void>
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'content-type, x-sentry-auth',
  'access-control-allow-methods': 'POST, OPTIONS',
}

/** Splits an envelope: items are `<header line>\n<payload>`; a header's `length` counts the payload's bytes. */
export function parseEnvelope(bytes: Uint8Array): Omit<Envelope, 'project' | 'key'> {
  const decoder = new TextDecoder()
  const raw = decoder.decode(bytes)
  let at = 0
  const line = () => {
    let end = bytes.indexOf(10, at)
    if (end < 0) end = bytes.length
    const text = decoder.decode(bytes.subarray(at, end))
    at = end + 1
    return text
  }
  const header = JSON.parse(line()) as Record<string, unknown>
  const items: EnvelopeItem[] = []
  while (at < bytes.length) {
    const headerLine = line()
    if (!headerLine.trim()) continue
    const itemHeader = JSON.parse(headerLine) as { type: string; length?: number }
    let payloadText: string
    if (typeof itemHeader.length === 'number') {
      payloadText = decoder.decode(bytes.subarray(at, at + itemHeader.length))
      at += itemHeader.length + 1
    } else payloadText = line()
    let payload: Record<string, unknown>
    try {
      payload = JSON.parse(payloadText) as Record<string, unknown>
    } catch {
      payload = { text: payloadText }
    }
    items.push({ type: itemHeader.type, payload })
  }
  return { header, items, raw }
}

export function startSentryReceiver(): SentryReceiver {
  const envelopes: Envelope[] = []
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const url = new URL(request.url)
      const match = /^\/api\/(\d+)\/envelope\/?$/.exec(url.pathname)
      if (!match) return new Response('not found', { status: 404 })
      if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS })
      if (request.method !== 'POST') return new Response('method not allowed', { status: 405, headers: CORS })
      const key = url.searchParams.get('sentry_key') ?? /sentry_key=([^,\s]+)/.exec(request.headers.get('x-sentry-auth') ?? '')?.[1] ?? null
      if (key !== 'testkey') return new Response(JSON.stringify({ detail: 'bad key' }), { status: 401, headers: CORS })
      let bytes = new Uint8Array(await request.arrayBuffer())
      if (request.headers.get('content-encoding') === 'gzip') bytes = gunzipSync(bytes)
      envelopes.push({ ...parseEnvelope(bytes), project: match[1]!, key })
      return new Response(JSON.stringify({ id: crypto.randomUUID().replaceAll('-', '') }), {
        headers: { 'content-type': 'application/json', ...CORS },
      })
    },
  })
  return {
    dsn: `http://testkey@127.0.0.1:${server.port}/42`,
    envelopes,
    events: () => envelopes.flatMap((e) => e.items.filter((i) => i.type === 'event').map((i) => i.payload)),
    async waitFor(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      while (!predicate(envelopes)) {
        if (Date.now() > deadline)
          throw new Error(`envelopes never matched; received: ${envelopes.map((e) => e.items.map((i) => i.type).join('+')).join(', ')}`)
        await Bun.sleep(25)
      }
      return envelopes
    },
    stop: () => server.stop(true),
  }
}
