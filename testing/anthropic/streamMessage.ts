// Streams a planned answer as the Messages API's server-sent events, paced like
// a model: message_start, content_block_start, ping, content_block_delta…,
// content_block_stop, message_delta, message_stop. The body is pulled, so
// nothing is produced ahead of the reader, and it stops as soon as the client
// goes away (Bun cancels the body when the connection closes).

import { abortableSleep } from './abortableSleep'
import { apiErrorBody } from './apiErrorResponse'
import { buildMessage, textBlock } from './buildMessage'
import type { AnswerPlan } from './planAnswer'

export type StreamMessageInput = {
  messageId: string
  requestId: string
  model: string
  inputTokens: number
  plan: AnswerPlan
  ttftMs: number
  tokensPerSecond: number
  failAfterTokens?: number
  /** Aborted when the client disconnects; the stream aborts it too when its body is cancelled. */
  clientGone: AbortController
  onDelta: () => void
  onEnd: () => void
}

export function streamMessage(input: StreamMessageInput): Response {
  const frames = messageFrames(input)
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await frames.next()
      if (input.clientGone.signal.aborted) return controller.close()
      if (next.done) {
        input.onEnd()
        return controller.close()
      }
      controller.enqueue(encoder.encode(next.value))
    },
    cancel() {
      input.clientGone.abort()
    },
  })
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': input.requestId,
    },
  })
}

function sse(type: string, data: object): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`
}

async function* messageFrames(input: StreamMessageInput): AsyncGenerator<string, void> {
  const { plan, failAfterTokens } = input
  const signal = input.clientGone.signal
  const failing = failAfterTokens !== undefined && failAfterTokens <= plan.tokens.length
  const tokens = failing ? plan.tokens.slice(0, failAfterTokens) : plan.tokens

  const start = buildMessage({
    id: input.messageId,
    model: input.model,
    text: null,
    stopReason: null,
    stopSequence: null,
    inputTokens: input.inputTokens,
    // The real API reports the first output token it has already produced.
    outputTokens: 1,
  })
  yield sse('message_start', { type: 'message_start', message: start })
  yield sse('content_block_start', { type: 'content_block_start', index: 0, content_block: textBlock('') })
  yield sse('ping', { type: 'ping' })

  // Deltas are scheduled against the clock rather than slept one by one, so a
  // slow consumer or timer jitter does not drift the overall rate.
  const interval = input.tokensPerSecond > 0 && Number.isFinite(input.tokensPerSecond) ? 1000 / input.tokensPerSecond : 0
  const firstAt = performance.now() + input.ttftMs
  for (const [i, text] of tokens.entries()) {
    await abortableSleep(firstAt + i * interval - performance.now(), signal)
    if (signal.aborted) return
    yield sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })
    input.onDelta()
  }

  if (failing) {
    yield sse('error', apiErrorBody('overloaded_error', 'Overloaded'))
    return
  }
  yield sse('content_block_stop', { type: 'content_block_stop', index: 0 })
  yield sse('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: plan.stopReason, stop_sequence: plan.stopSequence, stop_details: null, container: null },
    // Counters here are whole-message totals, not increments.
    usage: {
      input_tokens: input.inputTokens,
      output_tokens: tokens.length,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens_details: null,
      server_tool_use: null,
    },
  })
  yield sse('message_stop', { type: 'message_stop' })
}
