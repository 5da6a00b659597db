// Client aborts and what the emulator records, through the real SDK.
import { APIUserAbortError } from '@anthropic-ai/sdk'
import { describe, expect, test } from 'bun:test'
import { fingerprintApiKey } from './emulator'
import { MODEL, API_KEY, ANSWER, QUESTION, LONG_ANSWER, SLOW, emulator, client, rejection, useEmulator } from './emulatorHarness'
import { splitIntoTokens } from './splitIntoTokens'

useEmulator()

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
