// The `message` object of the Messages API: the whole body of a non-streaming
// reply, and (with empty content and no stop reason yet) the payload of the
// streaming `message_start` event. Fields for features the emulator lacks
// (containers, server tools, caching, thinking) are present as null or zero,
// because the SDK's types declare them always present.

import type { StopReason } from './planAnswer'

export type MessageFields = {
  id: string
  model: string
  text: string | null
  stopReason: StopReason | null
  stopSequence: string | null
  inputTokens: number
  outputTokens: number
}

export function buildMessage(fields: MessageFields) {
  return {
    id: fields.id,
    type: 'message' as const,
    role: 'assistant' as const,
    model: fields.model,
    content: fields.text === null ? [] : [textBlock(fields.text)],
    stop_reason: fields.stopReason,
    stop_sequence: fields.stopSequence,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      input_tokens: fields.inputTokens,
      output_tokens: fields.outputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: 'standard' as const,
      inference_geo: null,
      speed: null,
    },
  }
}

export function textBlock(text: string) {
  return { type: 'text' as const, text, citations: null }
}
