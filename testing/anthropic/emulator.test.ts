// Proves the emulator speaks the Messages API well enough for the real SDK:
// every test drives `@anthropic-ai/sdk` (or raw fetch, for wire details the SDK
// hides) against it. Failures and aborts are in emulator.*.test.ts.
import Anthropic from '@anthropic-ai/sdk'
import { describe, expect, test } from 'bun:test'
import { DEFAULT_SCRIPT, startAnthropicEmulator } from './emulator'
import { MODEL, API_KEY, ANSWER, QUESTION, emulator, client, useEmulator } from './emulatorHarness'
import { estimateInputTokens } from './estimateInputTokens'
import { splitIntoTokens } from './splitIntoTokens'

useEmulator()

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
