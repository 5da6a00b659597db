// A client span for one call to a language model, in the OpenTelemetry GenAI
// semantic conventions: request model and limits, response id and model,
// finish reasons, token usage, and the first token as an event.
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api'
import { insideSampledSpan, NOT_RECORDING, tracer } from '../../platform/tracing.ts'
import type { LlmRequest } from './types.ts'

export type ModelCallSpan = {
  /** Runs `fn` with this span active, so the SDK's own per-call span sits below it. */
  within<T>(fn: () => T): T
  response(id: string, model: string): void
  firstToken(): void
  usage(inputTokens: number, outputTokens: number): void
  finishReason(reason: string | null | undefined): void
  attempt(n: number): void
  end(error?: unknown): void
}

export function startModelCallSpan(provider: string, model: string, baseUrl: string, req: LlmRequest): ModelCallSpan {
  const started = performance.now()
  const server = new URL(baseUrl)
  // A child of the generation or job that calls the model; never a trace of its own.
  const span: Span = !insideSampledSpan()
    ? NOT_RECORDING
    : tracer.startSpan(`chat ${model}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': provider,
          'gen_ai.system': provider,
          'gen_ai.request.model': model,
          'gen_ai.request.max_tokens': req.maxTokens,
          ...(req.temperature === undefined ? {} : { 'gen_ai.request.temperature': req.temperature }),
          'server.address': server.hostname,
          ...(server.port ? { 'server.port': Number(server.port) } : {}),
        },
      })
  let sawToken = false
  const active = span === NOT_RECORDING ? context.active() : trace.setSpan(context.active(), span)
  return {
    within: (fn) => context.with(active, fn),
    response(id, responseModel) {
      span.setAttributes({ 'gen_ai.response.id': id, 'gen_ai.response.model': responseModel })
    },
    firstToken() {
      if (sawToken) return
      sawToken = true
      span.addEvent('gen_ai.first_token', { 'gen_ai.response.time_to_first_chunk': (performance.now() - started) / 1000 })
    },
    usage(inputTokens, outputTokens) {
      span.setAttributes({ 'gen_ai.usage.input_tokens': inputTokens, 'gen_ai.usage.output_tokens': outputTokens })
    },
    finishReason(reason) {
      if (reason) span.setAttribute('gen_ai.response.finish_reasons', [reason])
    },
    attempt(n) {
      if (n > 0) span.setAttribute('kt.llm.retries', n)
    },
    end(error) {
      if (error) {
        span.recordException(error as Error)
        span.setStatus({ code: SpanStatusCode.ERROR })
        span.setAttribute('error.type', (error as { name?: string }).name ?? 'Error')
      }
      span.end()
    },
  }
}
