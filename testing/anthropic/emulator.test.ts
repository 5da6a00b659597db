// Proves the emulator speaks the Messages API well enough for the real SDK:
// every test drives `@anthropic-ai/sdk` (or raw fetch, for wire details the SDK
// hides) against it.

import Anthropic, {
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
  RateLimitError,
} from '@anthropic-ai/sdk'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { DEFAULT_SCRIPT, fingerprintApiKey, startAnthropicEmulator, type AnthropicEmulator } from './emulator'
import { estimateInputTokens } from './estimateInputTokens'
import { splitIntoTokens } from './splitIntoTokens'

const MODEL = 'claude-test-model'
const API_KEY = 'sk-ant-test-key'
const ANSWER = 'Photosynthesis turns light into sugar [1]. It happens in chloroplasts [2].'
const QUESTION = [{ role: 'user' as const, content: 'How do plants eat?' }]
// Slow enough that a test can act after the first delta while the stream is still open.
const SLOW = { ttftMs: 0, tokensPerSecond: 20 }
const LONG_ANSWER = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ')

let emulator: AnthropicEmulator

beforeAll(async () => {
  emulator = await startAnthropicEmulator()
})
afterAll(async () => {
  await emulator.stop()
})
beforeEach(() => {
  emulator.reset()
  emulator.setScript({ text: ANSWER })
})

function client(options: { maxRetries?: number; apiKey?: string | null } = {}) {
  return new Anthropic({ baseURL: emulator.url, apiKey: API_KEY, maxRetries: 0, ...options })
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject')
}

describe('streaming', () => {
  test('streams the scripted answer as text deltas in the documented event order', async () => {
    const stream = client().messages.stream({ model: MODEL, max_tokens: 1024, messages: QUESTION })
    const types: string[] = []
    const deltas: string[] = []
    for await (const event of stream) {
      types.push(event.type)
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') deltas.push(event.delta.text)
    }

    expect(deltas.join('')).toBe(ANSWER)
    expect(deltas).toContain('[1]')
    expect(deltas).toContain('[2]')
    // The SDK drops `ping`; the wire test below checks it is sent.
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      ...deltas.map(() => 'content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ])
  })

  test('finalMessage carries the whole text, stop reason, usage and the request id', async () => {
    const stream = client().messages.stream({ model: MODEL, max_tokens: 1024, messages: QUESTION })
    const message = await stream.finalMessage()

    expect(message.id).toStartWith('msg_')
    expect(message.model).toBe(MODEL)
    expect(message.role).toBe('assistant')
    expect(message.content).toMatchObject([{ type: 'text', text: ANSWER, citations: null }])
    expect(message.stop_reason).toBe('end_turn')
    expect(message.stop_sequence).toBeNull()
    expect(message.usage.output_tokens).toBe(splitIntoTokens(ANSWER).length)
    expect(message.usage.input_tokens).toBe(estimateInputTokens({ messages: QUESTION }))
    expect(stream.request_id).toBe(emulator.requests[0]!.requestId)
  })

  test('sends each event as `event:` and `data:` lines with a ping before the first delta', async () => {
    const response = await fetch(`${emulator.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, max_tokens: 1024, messages: QUESTION, stream: true }),
    })
    expect(response.headers.get('content-type')).toStartWith('text/event-stream')
    expect(response.headers.get('request-id')).toStartWith('req_')

    const frames = (await response.text()).split('\n\n').filter(Boolean)
    const events = frames.map((frame) => {
      const [eventLine, dataLine, ...rest] = frame.split('\n')
      expect(rest).toEqual([])
      const type = eventLine!.replace(/^event: /, '')
      const data = JSON.parse(dataLine!.replace(/^data: /, ''))
      expect(data.type).toBe(type)
      return data
    })

    expect(events.slice(0, 3).map((e) => e.type)).toEqual(['message_start', 'content_block_start', 'ping'])
    expect(events[0].message).toMatchObject({ type: 'message', role: 'assistant', content: [], stop_reason: null })
    expect(events[1]).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: null } })
    expect(events.at(-2)).toMatchObject({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: splitIntoTokens(ANSWER).length },
    })
    expect(events.at(-1)).toEqual({ type: 'message_stop' })
  })

  test('streams an explicit token array verbatim, so a citation marker can be split across deltas', async () => {
    emulator.setScript({ text: ['Light', ' matters', ' [', '1', ']', '.'] })
    const deltas: string[] = []
    const stream = client().messages.stream({ model: MODEL, max_tokens: 1024, messages: QUESTION })
    stream.on('text', (text) => deltas.push(text))
    await stream.done()

    expect(deltas).toEqual(['Light', ' matters', ' [', '1', ']', '.'])
  })

  test('a stream that runs to the end is recorded as completed, not aborted', async () => {
    await client().messages.stream({ model: MODEL, max_tokens: 1024, messages: QUESTION }).done()
    const [record] = emulator.requests

    expect(record).toMatchObject({ stream: true, status: 200, completed: true, aborted: false })
    expect(record!.deltasSent).toBe(splitIntoTokens(ANSWER).length)
  })
})

describe('non-streaming', () => {
  test('create without stream returns a complete message object', async () => {
    const message = await client().messages.create({ model: MODEL, max_tokens: 1024, messages: QUESTION })

    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: MODEL,
      content: [{ type: 'text', text: ANSWER, citations: null }],
      stop_reason: 'end_turn',
      stop_sequence: null,
    })
    expect(message.usage).toMatchObject({
      input_tokens: estimateInputTokens({ messages: QUESTION }),
      output_tokens: splitIntoTokens(ANSWER).length,
    })
    expect(emulator.requests[0]).toMatchObject({ stream: false, status: 200, completed: true })
  })
})

describe('limits from the request', () => {
  test('max_tokens truncates the answer and reports stop_reason max_tokens', async () => {
    const message = await client().messages.stream({ model: MODEL, max_tokens: 3, messages: QUESTION }).finalMessage()

    expect(message.content).toMatchObject([{ type: 'text', text: splitIntoTokens(ANSWER).slice(0, 3).join(''), citations: null }])
    expect(message.stop_reason).toBe('max_tokens')
    expect(message.usage.output_tokens).toBe(3)
  })

  test('a stop sequence ends the answer before it and is reported', async () => {
    const message = await client().messages.create({
      model: MODEL,
      max_tokens: 1024,
      messages: QUESTION,
      stop_sequences: [' It happens'],
    })

    expect(message.content).toEqual([{ type: 'text', text: 'Photosynthesis turns light into sugar [1].', citations: null }])
    expect(message.stop_reason).toBe('stop_sequence')
    expect(message.stop_sequence).toBe(' It happens')
  })
})

describe('scripted answers', () => {
  test('respond computes the answer from the request body and its index', async () => {
    emulator.setScript((body, index) => ({ text: `#${index} answering under: ${body.system} [1]` }))
    const anthropic = client()
    const first = await anthropic.messages.create({ model: MODEL, max_tokens: 100, system: 'be brief', messages: QUESTION })
    const second = await anthropic.messages.stream({ model: MODEL, max_tokens: 100, system: 'be kind', messages: QUESTION }).finalText()

    expect(first.content).toEqual([{ type: 'text', text: '#0 answering under: be brief [1]', citations: null }])
    expect(second).toBe('#1 answering under: be kind [1]')
  })

  test('respond given at start applies to every request', async () => {
    const own = await startAnthropicEmulator({ respond: (body) => ({ text: `model was ${body.model}` }) })
    try {
      const anthropic = new Anthropic({ baseURL: own.url, apiKey: API_KEY, maxRetries: 0 })
      const text = await anthropic.messages.stream({ model: MODEL, max_tokens: 100, messages: QUESTION }).finalText()
      expect(text).toBe(`model was ${MODEL}`)
    } finally {
      await own.stop()
    }
  })

  test('without a script the emulator answers with the default script', async () => {
    const own = await startAnthropicEmulator()
    try {
      const anthropic = new Anthropic({ baseURL: own.url, apiKey: API_KEY, maxRetries: 0 })
      const text = await anthropic.messages.stream({ model: MODEL, max_tokens: 100, messages: QUESTION }).finalText()
      expect(text).toBe(DEFAULT_SCRIPT.text as string)
    } finally {
      await own.stop()
    }
  })
})

describe('failures before the first token', () => {
  test('a 529 is retried by the SDK and the second attempt succeeds', async () => {
    emulator.setScript({ text: ANSWER, failBeforeFirstToken: { status: 529, times: 1, retryAfterSeconds: 0.01 } })
    const text = await client({ maxRetries: 2 }).messages.stream({ model: MODEL, max_tokens: 1024, messages: QUESTION }).finalText()

    expect(text).toBe(ANSWER)
    expect(emulator.requests.map((r) => r.status)).toEqual([529, 200])
    expect(emulator.requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1'])
  })

  test('a 529 with retries off surfaces as OverloadedError with type and request id', async () => {
    emulator.setScript({ text: ANSWER, failBeforeFirstToken: { status: 529, times: 1 } })
    const error = await rejection(client().messages.create({ model: MODEL, max_tokens: 1024, messages: QUESTION }))

    expect(error).toBeInstanceOf(OverloadedError)
    const apiError = error as OverloadedError
    expect(apiError.status).toBe(529)
    expect(apiError.type).toBe('overloaded_error')
    expect(apiError.requestID).toBe(emulator.requests[0]!.requestId)
    expect(emulator.requests).toHaveLength(1)
  })

  test('a 429 carries retry-after, and the SDK retries after it', async () => {
    emulator.setScript({ text: ANSWER, failBeforeFirstToken: { status: 429, times: 1, retryAfterSeconds: 0.05 } })
    const error = await rejection(client().messages.create({ model: MODEL, max_tokens: 1024, messages: QUESTION }))
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).headers.get('retry-after')).toBe('0.05')
    expect((error as RateLimitError).type).toBe('rate_limit_error')

    emulator.reset()
    const message = await client({ maxRetries: 1 }).messages.create({ model: MODEL, max_tokens: 1024, messages: QUESTION })
    expect(message.content).toEqual([{ type: 'text', text: ANSWER, citations: null }])
    expect(emulator.requests.map((r) => r.status)).toEqual([429, 200])
  })

  test('failures count across requests until `times` is used up', async () => {
    emulator.setScript({ text: ANSWER, failBeforeFirstToken: { status: 500, times: 2, retryAfterSeconds: 0.01 } })
    const anthropic = client()
    const first = await rejection(anthropic.messages.create({ model: MODEL, max_tokens: 1024, messages: QUESTION }))
    const second = await rejection(anthropic.messages.create({ model: MODEL, max_tokens: 1024, messages: QUESTION }))
    const third = await anthropic.messages.create({ model: MODEL, max_tokens: 1024, messages: QUESTION })

    expect(first).toBeInstanceOf(InternalServerError)
    expect((second as APIError).type).toBe('api_error')
    expect(third.stop_reason).toBe('end_turn')
  })

  test('x-should-retry: false stops the SDK from retrying a 500', async () => {
    emulator.setScript({ text: ANSWER, failBeforeFirstToken: { status: 500, times: 1, shouldRetry: false } })
    const error = await rejection(client({ maxRetries: 2 }).messages.create({ model: MODEL, max_tokens: 10, messages: QUESTION }))

    expect(error).toBeInstanceOf(InternalServerError)
    expect(emulator.requests).toHaveLength(1)
  })
})

describe('failure mid-stream', () => {
  test('an error event after some deltas makes the SDK stream throw an overloaded_error', async () => {
    emulator.setScript({ text: ANSWER, failAfterTokens: 3 })
    const deltas: string[] = []
    const stream = client({ maxRetries: 2 }).messages.stream({ model: MODEL, max_tokens: 1024, messages: QUESTION })
    stream.on('text', (text) => deltas.push(text))
    const error = await rejection(stream.finalMessage())

    expect(error).toBeInstanceOf(APIError)
    expect((error as APIError).type).toBe('overloaded_error')
    expect(deltas).toEqual(splitIntoTokens(ANSWER).slice(0, 3))
    // A stream that already started is never retried by the SDK.
    expect(emulator.requests).toHaveLength(1)
    expect(emulator.requests[0]).toMatchObject({ status: 200, deltasSent: 3, completed: true, aborted: false })
  })

  test('the same script without streaming answers 529', async () => {
    emulator.setScript({ text: ANSWER, failAfterTokens: 3 })
    const error = await rejection(client().messages.create({ model: MODEL, max_tokens: 1024, messages: QUESTION }))

    expect(error).toBeInstanceOf(OverloadedError)
  })
})

describe('invalid requests', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['missing max_tokens', { model: MODEL, messages: QUESTION }, 'max_tokens: Field required'],
    ['zero max_tokens', { model: MODEL, max_tokens: 0, messages: QUESTION }, 'max_tokens: Input should be greater than or equal to 1'],
    ['no messages', { model: MODEL, max_tokens: 10, messages: [] }, 'messages: at least one message is required'],
    [
      'messages starting with assistant',
      { model: MODEL, max_tokens: 10, messages: [{ role: 'assistant', content: 'hi' }] },
      'messages: first message must use the "user" role',
    ],
    [
      'two user turns in a row',
      { model: MODEL, max_tokens: 10, messages: [...QUESTION, ...QUESTION] },
      'messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row',
    ],
    ['temperature above 1', { model: MODEL, max_tokens: 10, messages: QUESTION, temperature: 1.5 }, 'temperature: Input should be less than or equal to 1'],
    ['an unknown field', { model: MODEL, max_tokens: 10, messages: QUESTION, max_token: 5 }, 'max_token: Extra inputs are not permitted'],
  ]

  test.each(cases)('%s is rejected with BadRequestError and the reason', async (_name, body, reason) => {
    const error = await rejection(client({ maxRetries: 2 }).messages.create(body as never))

    expect(error).toBeInstanceOf(BadRequestError)
    const apiError = error as BadRequestError
    expect(apiError.type).toBe('invalid_request_error')
    expect(apiError.apiMessage).toBe(reason)
    expect(apiError.requestID).toStartWith('req_')
    expect(emulator.requests).toHaveLength(1)
  })

  test('a request without an API key is rejected with AuthenticationError', async () => {
    const anthropic = new Anthropic({ baseURL: emulator.url, apiKey: null, defaultHeaders: { authorization: null }, maxRetries: 0 })
    const error = await rejection(anthropic.messages.create({ model: MODEL, max_tokens: 10, messages: QUESTION }))

    expect(error).toBeInstanceOf(AuthenticationError)
    expect((error as AuthenticationError).apiMessage).toBe('x-api-key header is required')
  })

  test('a request without anthropic-version is rejected', async () => {
    const response = await fetch(`${emulator.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, max_tokens: 10, messages: QUESTION }),
    })

    expect(response.status).toBe(400)
    const body = await response.json()
    expect(body).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
      request_id: response.headers.get('request-id'),
    })
  })

  test('only the configured keys and models are accepted when lists are given', async () => {
    const own = await startAnthropicEmulator({ apiKeys: ['sk-good'], models: [MODEL] })
    try {
      const wrongKey = new Anthropic({ baseURL: own.url, apiKey: 'sk-bad', maxRetries: 0 })
      const goodKey = new Anthropic({ baseURL: own.url, apiKey: 'sk-good', maxRetries: 0 })
      const keyError = await rejection(wrongKey.messages.create({ model: MODEL, max_tokens: 10, messages: QUESTION }))
      const modelError = await rejection(goodKey.messages.create({ model: 'claude-nope', max_tokens: 10, messages: QUESTION }))

      expect((keyError as AuthenticationError).apiMessage).toBe('invalid x-api-key')
      expect(modelError).toBeInstanceOf(NotFoundError)
      expect((modelError as NotFoundError).apiMessage).toBe('model: claude-nope')
    } finally {
      await own.stop()
    }
  })
})

describe('client aborts', () => {
  test('stream.abort() after the first delta is recorded as an abort and stops the stream', async () => {
    emulator.setScript({ text: LONG_ANSWER, ...SLOW })
    const stream = client().messages.stream({ model: MODEL, max_tokens: 1024, messages: QUESTION })
    const ended = rejection(stream.done())
    await new Promise<void>((resolve) => stream.once('text', () => resolve()))
    stream.abort()
    const record = await emulator.waitForAbort(0)

    expect(record.aborted).toBe(true)
    expect(record.completed).toBe(false)
    expect(record.deltasSent).toBeLessThan(splitIntoTokens(LONG_ANSWER).length)
    expect(await ended).toBeInstanceOf(APIUserAbortError)
  })

  test('an abort while waiting for the first token is recorded and no delta is sent', async () => {
    emulator.setScript({ text: ANSWER, ttftMs: 60_000 })
    const stream = client().messages.stream({ model: MODEL, max_tokens: 1024, messages: QUESTION })
    const ended = rejection(stream.done())
    await new Promise<void>((resolve) => stream.once('streamEvent', () => resolve()))
    stream.abort()
    const record = await emulator.waitForAbort(0)

    expect(record).toMatchObject({ aborted: true, completed: false, deltasSent: 0 })
    expect(await ended).toBeInstanceOf(APIUserAbortError)
  })

  test('an AbortSignal passed to create({stream: true}) is recorded as an abort', async () => {
    emulator.setScript({ text: LONG_ANSWER, ...SLOW })
    const controller = new AbortController()
    const stream = await client().messages.create(
      { model: MODEL, max_tokens: 1024, messages: QUESTION, stream: true },
      { signal: controller.signal },
    )
    for await (const event of stream) {
      if (event.type === 'content_block_delta') controller.abort()
    }
    const record = await emulator.waitForAbort()

    expect(record.index).toBe(0)
    expect(record.aborted).toBe(true)
  })

  test('an aborted non-streaming request is recorded as an abort', async () => {
    emulator.setScript({ text: ANSWER, ttftMs: 60_000 })
    const controller = new AbortController()
    const pending = client().messages.create({ model: MODEL, max_tokens: 10, messages: QUESTION }, { signal: controller.signal })
    const seen = rejection(pending)
    await emulator.waitForRequest(0)
    controller.abort()
    await seen

    expect((await emulator.waitForAbort(0)).aborted).toBe(true)
  })

  test('waitForAbort rejects and says why when the request was not aborted', async () => {
    await client().messages.stream({ model: MODEL, max_tokens: 1024, messages: QUESTION }).done()
    const error = await rejection(emulator.waitForAbort(0, { timeoutMs: 20 }))

    expect(String(error)).toContain('request 0 was not aborted')
    expect(String(error)).toContain('"completed":true')
  })
})

describe('recorded requests', () => {
  test('records lowercased headers, the parsed body and only a fingerprint of the API key', async () => {
    await client().messages.create({ model: MODEL, max_tokens: 10, system: 'sys', messages: QUESTION })
    const [record] = emulator.requests

    expect(record!.method).toBe('POST')
    expect(record!.path).toBe('/v1/messages')
    expect(record!.headers['anthropic-version']).toBeString()
    // SDK 1.x sends the key as a bearer token.
    expect(record!.headers.authorization).toBe(`Bearer ${fingerprintApiKey(API_KEY)}`)
    expect(record!.apiKey).toBe(fingerprintApiKey(API_KEY))
    expect(record!.body).toEqual({ model: MODEL, max_tokens: 10, system: 'sys', messages: QUESTION })
    expect(JSON.stringify(emulator.requests)).not.toContain(API_KEY)
  })

  test('fingerprints a key sent as x-api-key', async () => {
    await fetch(`${emulator.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': API_KEY }, body: '{}' })

    expect(emulator.requests[0]!.headers['x-api-key']).toBe(fingerprintApiKey(API_KEY))
    expect(emulator.requests[0]!.apiKey).toBe(fingerprintApiKey(API_KEY))
  })

  test('records rejected and unknown-path requests too', async () => {
    await fetch(`${emulator.url}/v1/complete`, { method: 'POST', body: 'not json' })
    const [record] = emulator.requests

    expect(record).toMatchObject({ path: '/v1/complete', status: 404, body: 'not json', apiKey: null })
  })
})
