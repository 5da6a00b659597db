// OpenTelemetry tracing, configured only by the standard OTEL_* variables.
// Code everywhere calls the @opentelemetry/api (`tracer` below); the SDK is
// installed by the process entry only when an OTLP endpoint is configured.
// Without one nothing is registered and every call is the API's no-op, and
// the hot paths (HTTP, SQL) check `tracingEnabled()` once and skip even that.
// With one, a request the sampler drops costs its one unsampled server span
// (a read not even that in context, see httpTracing): nothing below it builds a
// span, as spans below an operation are built only inside a recording one
// (`insideSampledSpan`).
import {
  context,
  INVALID_SPAN_CONTEXT,
  propagation,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type TextMapGetter,
} from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { CompositePropagator, isTracingSuppressed, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources'
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
} from '@opentelemetry/sdk-trace'
import type { Config } from './config.ts'

// Taken again whenever the SDK is installed or removed: a tracer keeps the
// provider it first delegated to, so one taken before a shutdown would export
// nothing after a later startTracing (tests do both in one process). Callers
// import the live binding and always see the current one.
export let tracer = trace.getTracer('knowledgetree')

let enabled = false
/** True while an SDK is installed (an OTLP endpoint is configured). */
export function tracingEnabled(): boolean {
  return enabled
}

let rootRatio = 1
/**
 * The share of new traces (no caller's `traceparent`) the configured sampler
 * keeps, when that is all its decision for them is: a parent-based ratio
 * sampler's decision for a fresh random trace id is a coin flip with this
 * chance. 1 when nothing may be decided ahead: samplers that keep every new
 * trace, and plain `traceidratio`, which decides each span (children too) by
 * its trace id, so a root kept by a coin flip could lose its children.
 */
export function rootSamplingRatio(): number {
  return rootRatio
}

/** What `rootSamplingRatio` reports for a configuration. */
export function rootRatioOf(config: Pick<TracingConfig, 'OTEL_TRACES_SAMPLER' | 'OTEL_TRACES_SAMPLER_ARG'>): number {
  switch (config.OTEL_TRACES_SAMPLER) {
    case 'parentbased_always_off':
      return 0
    case 'parentbased_traceidratio':
      return Math.min(1, Math.max(0, config.OTEL_TRACES_SAMPLER_ARG ?? 1))
    default:
      return 1
  }
}

/** True when a span started now, under the active one, would be recorded: only inside a sampled trace. */
export function insideSampledSpan(ctx: Context = context.active()): boolean {
  return enabled && !isTracingSuppressed(ctx) && trace.getSpan(ctx)?.isRecording() === true
}

export type TracingConfig = Pick<
  Config,
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
  | 'OTEL_SERVICE_NAME'
  | 'OTEL_TRACES_SAMPLER'
  | 'OTEL_TRACES_SAMPLER_ARG'
  | 'OTEL_RESOURCE_ATTRIBUTES'
>
export type Tracing = { forceFlush(): Promise<void>; shutdown(): Promise<void> }

let keepNextRoot = false
/**
 * Starts a root span whose keeping was already decided by `rootSamplingRatio`
 * (httpTracing draws it for a new trace before starting any span): the root
 * sampler keeps it instead of deciding a second time. `start` must start the
 * span synchronously.
 */
export function keepingRoot<T>(start: () => T): T {
  keepNextRoot = true
  try {
    return start()
  } finally {
    keepNextRoot = false
  }
}

/** A root sampler that keeps the root span `keepingRoot` starts, and asks `inner` about every other one. */
class DecidedAheadSampler implements Sampler {
  constructor(private readonly inner: Sampler) {}
  shouldSample(...args: Parameters<Sampler['shouldSample']>): ReturnType<Sampler['shouldSample']> {
    return keepNextRoot ? { decision: SamplingDecision.RECORD_AND_SAMPLED } : this.inner.shouldSample(...args)
  }
  toString(): string {
    return `DecidedAhead{${this.inner.toString()}}`
  }
}

/** The sampler named by OTEL_TRACES_SAMPLER / _ARG (the specification's values). */
export function samplerFrom(config: Pick<TracingConfig, 'OTEL_TRACES_SAMPLER' | 'OTEL_TRACES_SAMPLER_ARG'>): Sampler {
  const ratio = config.OTEL_TRACES_SAMPLER_ARG ?? 1
  switch (config.OTEL_TRACES_SAMPLER) {
    case 'always_on':
      return new AlwaysOnSampler()
    case 'always_off':
      return new AlwaysOffSampler()
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio)
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new DecidedAheadSampler(new AlwaysOffSampler()) })
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new DecidedAheadSampler(new TraceIdRatioBasedSampler(ratio)) })
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() })
  }
}

/** OTEL_RESOURCE_ATTRIBUTES: `key=value,key=value`, percent-encoded. */
export function parseResourceAttributes(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of (raw ?? '').split(',')) {
    const at = pair.indexOf('=')
    if (at <= 0) continue
    out[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim())
  }
  return out
}

/** Installs the SDK when an endpoint is configured; null (and nothing installed) otherwise. */
export function startTracing(config: TracingConfig, defaultServiceName: string): Tracing | null {
  const url =
    config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (config.OTEL_EXPORTER_OTLP_ENDPOINT ? `${config.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces` : null)
  if (!url || enabled) return null
  const resource = defaultResource().merge(
    resourceFromAttributes({
      ...parseResourceAttributes(config.OTEL_RESOURCE_ATTRIBUTES),
      'service.name': config.OTEL_SERVICE_NAME ?? defaultServiceName,
    }),
  )
  const provider = new TracerProvider({
    resource,
    sampler: samplerFrom(config),
    // The 3.x SDK takes its exporter inside an options object.
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) })],
  })
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }))
  trace.setGlobalTracerProvider(provider)
  tracer = trace.getTracer('knowledgetree')
  enabled = true
  rootRatio = rootRatioOf(config)
  return {
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown()
      trace.disable()
      context.disable()
      propagation.disable()
      tracer = trace.getTracer('knowledgetree')
      enabled = false
      rootRatio = 1
    },
  }
}

const headerGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
}

/** The context a request's `traceparent` (from nginx, a load balancer or a client) names. */
export function contextFromHeaders(headers: Headers, parent: Context = context.active()): Context {
  return propagation.extract(parent, headers, headerGetter)
}

/** `traceparent` of the active span, for a job's data; undefined when nothing is traced. */
export function currentTraceparent(): string | undefined {
  if (!enabled) return undefined
  const carrier: Record<string, string> = {}
  propagation.inject(context.active(), carrier)
  return carrier.traceparent
}

/** The context a job's stored `traceparent` continues. */
export function contextFromTraceparent(traceparent: unknown): Context {
  return typeof traceparent === 'string' ? propagation.extract(context.active(), { traceparent }) : context.active()
}

export const NOT_RECORDING = trace.wrapSpanContext(INVALID_SPAN_CONTEXT)

/**
 * Runs `fn` in a child span of the active one, ending it (with the error, if
 * any) when `fn` settles. A child only: with tracing off, outside any span
 * (an unsampled read runs with none, see httpTracing), or under a span the
 * sampler dropped, `fn` runs with a span that records nothing (and the context
 * stays the parent's, so a `traceparent` sent from inside still says "not
 * sampled"). Operations that start a trace (a request, a job, a generation)
 * start their span themselves.
 */
export function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  if (!insideSampledSpan()) return fn(NOT_RECORDING)
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span)
    } catch (error) {
      span.recordException(error as Error)
      span.setStatus({ code: SpanStatusCode.ERROR })
      throw error
    } finally {
      span.end()
    }
  })
}
