// A local OTLP/HTTP trace receiver for tests: accepts what the real
// @opentelemetry/exporter-trace-otlp-http sends (JSON, `POST /v1/traces`,
// optionally gzip), decodes the ExportTraceServiceRequest and keeps the spans
// in memory, flattened for assertions. Anything else gets the status a
// collector would give (404, 405, 415).
import { gunzipSync } from 'node:zlib'

export type ReceivedSpan = {
  traceId: string
  spanId: string
  parentSpanId: string | null
  name: string
  kind: number
  attributes: Record<string, unknown>
  events: { name: string; attributes: Record<string, unknown> }[]
  links: { traceId: string; spanId: string }[]
  status: number
  startNs: bigint
  endNs: bigint
  resource: Record<string, unknown>
  scope: string
}

type AnyValue = {
  stringValue?: string
  intValue?: string | number
  doubleValue?: number
  boolValue?: boolean
  arrayValue?: { values?: AnyValue[] }
}
type KeyValue = { key: string; value: AnyValue }

function decodeValue(v: AnyValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue
  if (v.intValue !== undefined) return Number(v.intValue)
  if (v.doubleValue !== undefined) return v.doubleValue
  if (v.boolValue !== undefined) return v.boolValue
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(decodeValue)
  return null
}

const attrs = (list: KeyValue[] | undefined) => Object.fromEntries((list ?? []).map((kv) => [kv.key, decodeValue(kv.value)]))

/** Flattens an OTLP/JSON ExportTraceServiceRequest (ids are hex strings in OTLP/JSON). */
export function decodeTraces(body: unknown): ReceivedSpan[] {
  const out: ReceivedSpan[] = []
  for (const rs of (body as { resourceSpans?: unknown[] }).resourceSpans ?? []) {
    const { resource, scopeSpans } = rs as { resource?: { attributes?: KeyValue[] }; scopeSpans?: unknown[] }
    for (const ss of scopeSpans ?? []) {
      const { scope, spans } = ss as { scope?: { name?: string }; spans?: Record<string, unknown>[] }
      for (const s of spans ?? []) {
        out.push({
          traceId: String(s.traceId),
          spanId: String(s.spanId),
          parentSpanId: s.parentSpanId ? String(s.parentSpanId) : null,
          name: String(s.name),
          kind: Number(s.kind ?? 0),
          attributes: attrs(s.attributes as KeyValue[]),
          events: ((s.events as { name: string; attributes?: KeyValue[] }[]) ?? []).map((e) => ({
            name: e.name,
            attributes: attrs(e.attributes),
          })),
          links: ((s.links as { traceId: string; spanId: string }[]) ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
          status: Number((s.status as { code?: number } | undefined)?.code ?? 0),
          startNs: BigInt(String(s.startTimeUnixNano ?? 0)),
          endNs: BigInt(String(s.endTimeUnixNano ?? 0)),
          resource: attrs(resource?.attributes),
          scope: scope?.name ?? '',
        })
      }
    }
  }
  return out
}

export type OtlpReceiver = {
  /** Base URL, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string
  spans: ReceivedSpan[]
  requests: number
  /** Spans received so far (kept in `spans` unless the receiver was started with `keepSpans: false`). */
  received: number
  /** Resolves once `predicate` holds over the spans received so far (polled; bounded). */
  waitFor(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<ReceivedSpan[]>
  stop(): Promise<void>
}

/** Spans in an ExportTraceServiceRequest, without flattening them. */
function countSpans(body: unknown): number {
  let n = 0
  for (const rs of (body as { resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[] }).resourceSpans ?? [])
    for (const ss of rs.scopeSpans ?? []) n += ss.spans?.length ?? 0
  return n
}

/**
 * `keepSpans: false` (benchmarks) only counts what arrives: a load test that
 * exports hundreds of thousands of spans should not pay for keeping them on
 * the cores it measures.
 */
export function startOtlpReceiver({ keepSpans = true }: { keepSpans?: boolean } = {}): OtlpReceiver {
  const spans: ReceivedSpan[] = []
  const state = { requests: 0, received: 0 }
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      if (new URL(request.url).pathname !== '/v1/traces') return new Response('not found', { status: 404 })
      if (request.method !== 'POST') return new Response('method not allowed', { status: 405 })
      if (!(request.headers.get('content-type') ?? '').startsWith('application/json'))
        return new Response('only OTLP/JSON here', { status: 415 })
      let bytes = new Uint8Array(await request.arrayBuffer())
      if (request.headers.get('content-encoding') === 'gzip') bytes = gunzipSync(bytes)
      const body: unknown = JSON.parse(new TextDecoder().decode(bytes))
      if (keepSpans) {
        const decoded = decodeTraces(body)
        for (const span of decoded) spans.push(span)
        state.received += decoded.length
      } else state.received += countSpans(body)
      state.requests++
      return Response.json({ partialSuccess: {} })
    },
  })
  return {
    url: `http://127.0.0.1:${server.port}`,
    spans,
    get requests() {
      return state.requests
    },
    get received() {
      return state.received
    },
    async waitFor(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      while (!predicate(spans)) {
        if (Date.now() > deadline) throw new Error(`spans never matched; received: ${spans.map((s) => s.name).join(', ')}`)
        await Bun.sleep(25)
      }
      return spans
    },
    stop: () => server.stop(true),
  }
}
