// The emulator's failures (before the first token, mid-stream, invalid requests) as the real SDK sees them.
import Anthropic, {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
  RateLimitError,
} from '@anthropic-ai/sdk'
import { startAnthropicEmulator } from './emulator'
import { describe, expect, test } from 'bun:test'
import { MODEL, API_KEY, ANSWER, QUESTION, emulator, client, rejection, useEmulator } from './emulatorHarness'
import { splitIntoTokens } from './splitIntoTokens'

useEmulator()

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
    [
      'temperature above 1',
      { model: MODEL, max_tokens: 10, messages: QUESTION, temperature: 1.5 },
      'temperature: Input should be less than or equal to 1',
    ],
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
