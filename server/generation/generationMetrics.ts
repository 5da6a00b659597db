// Metrics of streamed generations (chat answers and artifacts): how many and
// how they ended, time to first token, total time; and tokens by model (the
// OpenTelemetry GenAI metric `gen_ai.client.token.usage`) of those and of the
// short calls on their way (a follow-up's rewrite), so the metric is the spend.
import type { Meter } from '@opentelemetry/api'

export type GenerationKind = 'answer' | 'artifact'
export type GenerationOutcome = {
  kind: GenerationKind
  mode: 'llm' | 'extractive'
  status: string
  model: string
  inputTokens: number
  outputTokens: number
  ttftMs: number | null
  totalMs: number
}
export type ModelTokens = { model: string; inputTokens: number; outputTokens: number }
export type GenerationMetrics = {
  finished(outcome: GenerationOutcome): void
  /** A language-model call outside a generation (a follow-up's rewrite): its tokens only. */
  modelCall(tokens: ModelTokens): void
}

const SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120]

export function createGenerationMetrics(meter: Meter): GenerationMetrics {
  const count = meter.createCounter('kt.generations', {
    unit: '{generation}',
    description: 'Generations (chat answers, artifacts) finished, by kind, mode and status (complete, stopped, failed).',
  })
  const ttft = meter.createHistogram('kt.generation.time_to_first_token', {
    unit: 's',
    description: 'From the start of a generation to its first token.',
    advice: { explicitBucketBoundaries: SECONDS },
  })
  const duration = meter.createHistogram('kt.generation.duration', {
    unit: 's',
    description: 'From the start of a generation to its end.',
    advice: { explicitBucketBoundaries: SECONDS },
  })
  const tokens = meter.createHistogram('gen_ai.client.token.usage', {
    unit: '{token}',
    description: 'Tokens per model call, by direction (input, output) and model.',
    advice: { explicitBucketBoundaries: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144] },
  })
  // The same labels for every call, so a sum by model is the whole spend.
  const recordTokens = (o: ModelTokens) => {
    const model = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': o.model }
    tokens.record(o.inputTokens, { ...model, 'gen_ai.token.type': 'input' })
    tokens.record(o.outputTokens, { ...model, 'gen_ai.token.type': 'output' })
  }
  return {
    finished(o) {
      const attrs = { kind: o.kind, mode: o.mode }
      count.add(1, { ...attrs, status: o.status })
      if (o.ttftMs !== null) ttft.record(o.ttftMs / 1000, attrs)
      duration.record(o.totalMs / 1000, { ...attrs, status: o.status })
      if (o.mode === 'llm') recordTokens(o)
    },
    modelCall: recordTokens,
  }
}

export const noGenerationMetrics: GenerationMetrics = { finished: () => {}, modelCall: () => {} }
