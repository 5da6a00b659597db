import { describe, expect, test } from 'bun:test'
import { parseMessagesRequest } from './parseMessagesRequest'

const valid = { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }

function reason(body: unknown): string | undefined {
  const parsed = parseMessagesRequest(body)
  return parsed.ok ? undefined : parsed.message
}

describe('parseMessagesRequest', () => {
  test('accepts a minimal request and a full text-only one', () => {
    expect(reason(valid)).toBeUndefined()
    expect(
      reason({
        ...valid,
        system: [{ type: 'text', text: 'sources…', cache_control: { type: 'ephemeral' } }],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'q1' }] },
          { role: 'assistant', content: 'a1' },
          { role: 'user', content: 'q2' },
          { role: 'assistant', content: '' },
        ],
        temperature: 0,
        top_p: 1,
        top_k: 5,
        stop_sequences: ['\n\nHuman:'],
        stream: true,
        metadata: { user_id: 'u1' },
      }),
    ).toBeUndefined()
  })

  test('names the missing or wrong field the way the API does', () => {
    expect(reason({ ...valid, model: undefined })).toBe('model: Field required')
    expect(reason({ ...valid, max_tokens: 1.5 })).toBe('max_tokens: Input should be a valid integer')
    expect(reason({ ...valid, messages: 'hi' })).toBe('messages: Input should be a valid list')
    expect(reason({ ...valid, temperature: -0.1 })).toBe('temperature: Input should be greater than or equal to 0')
    expect(reason({ ...valid, stream: 'yes' })).toBe('stream: Input should be a valid boolean')
    expect(reason({ ...valid, messages: [{ role: 'system', content: 'x' }] })).toBe(
      "messages.0.role: Input should be 'user' or 'assistant'",
    )
  })

  test('rejects empty content except in a final assistant prefill', () => {
    expect(reason({ ...valid, messages: [{ role: 'user', content: '  ' }] })).toBe(
      'messages.0: all messages must have non-empty content except for the optional final assistant message',
    )
    expect(reason({ ...valid, messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] })).toBe(
      'messages.0.content.0.text: text content blocks must be non-empty',
    )
  })

  test('says plainly when a block type is beyond the emulator', () => {
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: '' } }
    expect(reason({ ...valid, messages: [{ role: 'user', content: [image] }] })).toBe(
      'messages.0.content.0.type: the emulator only supports "text" blocks (got "image")',
    )
  })
})
