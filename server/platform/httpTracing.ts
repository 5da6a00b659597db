// One server span per HTTP request. It wraps the whole fetch handler (so the
// request's context is active in every hook, query and call below it), honours
// an incoming `traceparent`, and is named by route template once the router
// has matched (`GET /api/collections/:id`); unmatched paths keep the bare
// method, as the HTTP conventions ask. It ends when the response's headers are
// ready; a stream that goes on after that has its own span.
//
// A request the sampler drops records nothing. An unsafe one (POST, PUT, …)
// still runs with its non-recording span in context, so what it sends on (job
// data) carries "not sampled" and nothing below builds spans. A safe one (GET,
// HEAD, OPTIONS: reads, which send no jobs) runs with no context at all, a
// little cheaper still (about 1 µs a request, benchmarks/observability
// wrapperCost.ts). Below it, queries and calls build no span either, as they
// build one only inside a recording span (`insideSampledSpan`).
//
// A read that starts a new trace (no `traceparent`) under a ratio sampler is
// decided before any span is started: for a fresh random trace id the
// sampler's decision is a coin flip with its ratio, so drawing it here is the
// same decision, and a dropped read then starts nothing. Starting the span the
// sampler then dropped was most of what tracing cost such a read in the
// server (docs/OBSERVABILITY.md "Overhead").
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api'
import { contextFromHeaders, keepingRoot, rootSamplingRatio, tracer, tracingEnabled } from './tracing.ts'
import { httpMethodLabel } from './telemetry.ts'

const spans = new WeakMap<Request, Span>()

/** Methods that only read (RFC 9110 §9.2.1): their handlers send no jobs and start no generations. */
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

type Handler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>

export function traceRequests<A extends unknown[]>(handler: Handler<A>): Handler<A> {
  if (!tracingEnabled()) return handler
  const ratio = rootSamplingRatio()
  return (request, ...rest) => {
    const decided = ratio < 1 && SAFE.has(request.method) && !request.headers.has('traceparent')
    if (decided && Math.random() >= ratio) return handler(request, ...rest)
    const method = httpMethodLabel(request.method)
    const parent = contextFromHeaders(request.headers)
    // The sampler sees the method; everything else is added only to a span it keeps.
    const start = () =>
      tracer.startSpan(
        method === '_OTHER' ? 'HTTP' : method,
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': method } },
        parent,
      )
    const span = decided ? keepingRoot(start) : start()
    if (span.isRecording()) {
      const url = new URL(request.url)
      span.setAttributes({ 'url.scheme': url.protocol.slice(0, -1), 'server.address': url.hostname })
      const agent = request.headers.get('user-agent')
      if (agent) span.setAttribute('user_agent.original', agent)
      spans.set(request, span)
    } else if (SAFE.has(request.method)) {
      return handler(request, ...rest)
    }
    return context.with(trace.setSpan(parent, span), async () => {
      try {
        const response = await handler(request, ...rest)
        span.setAttribute('http.response.status_code', response.status)
        if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
        return response
      } catch (error) {
        span.recordException(error as Error)
        span.setStatus({ code: SpanStatusCode.ERROR })
        throw error
      } finally {
        span.end()
      }
    })
  }
}

/** Names the request's span after its route and records the request id (called by the app's hooks). */
export function describeServerSpan(request: Request, route: string | undefined, requestId: string): void {
  const span = spans.get(request)
  if (!span) return
  span.setAttribute('kt.request.id', requestId)
  if (!route) return
  span.setAttribute('http.route', route)
  span.updateName(`${httpMethodLabel(request.method)} ${route}`)
}
