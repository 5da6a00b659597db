// Validates a POST /v1/messages body the way the real API does, so a mistake in
// how the product builds a prompt fails in tests rather than in production.
// Messages follow the API's "path: reason" wording. Only what the emulator can
// answer is accepted: text in, text out (no tools, images or documents).

export type TextBlockParam = { type: 'text'; text: string }

export type MessageParam = {
  role: 'user' | 'assistant'
  content: string | TextBlockParam[]
}

export type MessagesRequest = {
  model: string
  max_tokens: number
  messages: MessageParam[]
  system?: string | TextBlockParam[]
  temperature?: number
  top_p?: number
  top_k?: number
  stop_sequences?: string[]
  stream?: boolean
  metadata?: Record<string, unknown>
  service_tier?: string
}

export type ParsedMessagesRequest = { ok: true; request: MessagesRequest } | { ok: false; message: string }

const KNOWN_FIELDS = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'stream',
  'metadata',
  'service_tier',
])
const TEXT_BLOCK_FIELDS = new Set(['type', 'text', 'cache_control', 'citations'])

class InvalidRequest extends Error {}

function invalid(message: string): never {
  throw new InvalidRequest(message)
}

export function parseMessagesRequest(body: unknown): ParsedMessagesRequest {
  try {
    return { ok: true, request: parse(body) }
  } catch (error) {
    if (error instanceof InvalidRequest) return { ok: false, message: error.message }
    throw error
  }
}

function parse(body: unknown): MessagesRequest {
  if (!isRecord(body)) invalid('Input should be a valid dictionary or object')
  for (const key of Object.keys(body)) {
    if (!KNOWN_FIELDS.has(key)) invalid(`${key}: Extra inputs are not permitted`)
  }

  const { model, max_tokens, messages, system, temperature, top_p, top_k, stop_sequences, stream, metadata } = body
  if (model === undefined) invalid('model: Field required')
  if (typeof model !== 'string' || model === '') invalid('model: Input should be a valid string')
  if (max_tokens === undefined) invalid('max_tokens: Field required')
  if (typeof max_tokens !== 'number' || !Number.isInteger(max_tokens)) invalid('max_tokens: Input should be a valid integer')
  if (max_tokens < 1) invalid('max_tokens: Input should be greater than or equal to 1')
  if (messages === undefined) invalid('messages: Field required')

  const request: MessagesRequest = { ...body, model, max_tokens, messages: parseMessages(messages) }
  if (system !== undefined) request.system = parseContent(system, 'system')
  if (temperature !== undefined) request.temperature = parseUnitInterval(temperature, 'temperature')
  if (top_p !== undefined) request.top_p = parseUnitInterval(top_p, 'top_p')
  if (top_k !== undefined && !(typeof top_k === 'number' && Number.isInteger(top_k) && top_k >= 0)) {
    invalid('top_k: Input should be a non-negative integer')
  }
  if (stop_sequences !== undefined) {
    if (!Array.isArray(stop_sequences) || !stop_sequences.every((s) => typeof s === 'string' && s.trim() !== '')) {
      invalid('stop_sequences: each stop sequence must be a string containing non-whitespace characters')
    }
  }
  if (stream !== undefined && typeof stream !== 'boolean') invalid('stream: Input should be a valid boolean')
  if (metadata !== undefined && !isRecord(metadata)) invalid('metadata: Input should be a valid dictionary')
  return request
}

function parseMessages(value: unknown): MessageParam[] {
  if (!Array.isArray(value)) invalid('messages: Input should be a valid list')
  if (value.length === 0) invalid('messages: at least one message is required')
  const messages = value.map((message, i): MessageParam => {
    if (!isRecord(message)) invalid(`messages.${i}: Input should be a valid dictionary`)
    const { role, content } = message
    if (role !== 'user' && role !== 'assistant') invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`)
    if (content === undefined) invalid(`messages.${i}.content: Field required`)
    return { role, content: parseContent(content, `messages.${i}.content`) }
  })

  if (messages[0]!.role !== 'user') invalid('messages: first message must use the "user" role')
  messages.forEach((message, i) => {
    const previous = messages[i - 1]
    if (previous && previous.role === message.role) {
      invalid(`messages: roles must alternate between "user" and "assistant", but found multiple "${message.role}" roles in a row`)
    }
    // A trailing assistant turn is a prefill and may be empty; nothing else may.
    const isFinalAssistant = i === messages.length - 1 && message.role === 'assistant'
    if (!isFinalAssistant && contentText(message.content).trim() === '') {
      invalid(`messages.${i}: all messages must have non-empty content except for the optional final assistant message`)
    }
  })
  return messages
}

function parseContent(value: unknown, path: string): string | TextBlockParam[] {
  if (typeof value === 'string') return value
  if (!Array.isArray(value)) invalid(`${path}: Input should be a valid string or list of content blocks`)
  return value.map((block, j) => {
    if (!isRecord(block)) invalid(`${path}.${j}: Input should be a valid dictionary`)
    if (block.type !== 'text') {
      invalid(`${path}.${j}.type: the emulator only supports "text" blocks (got ${JSON.stringify(block.type)})`)
    }
    for (const key of Object.keys(block)) {
      if (!TEXT_BLOCK_FIELDS.has(key)) invalid(`${path}.${j}.${key}: Extra inputs are not permitted`)
    }
    if (typeof block.text !== 'string') invalid(`${path}.${j}.text: Field required`)
    if (block.text === '') invalid(`${path}.${j}.text: text content blocks must be non-empty`)
    return { type: 'text', text: block.text }
  })
}

function parseUnitInterval(value: unknown, path: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) invalid(`${path}: Input should be a valid number`)
  if (value < 0) invalid(`${path}: Input should be greater than or equal to 0`)
  if (value > 1) invalid(`${path}: Input should be less than or equal to 1`)
  return value
}

export function contentText(content: string | TextBlockParam[]): string {
  return typeof content === 'string' ? content : content.map((block) => block.text).join('\n')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
