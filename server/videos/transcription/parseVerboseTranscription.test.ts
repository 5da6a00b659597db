import { expect, test } from 'bun:test'
import { AppError } from '../../platform/errors'
import { parseVerboseTranscription } from './parseVerboseTranscription'

const where = 'whisper-1 at example.test/v1'

function rejection(body: unknown): string {
  try {
    parseVerboseTranscription(body, where)
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('transcription_invalid_response')
    return (error as AppError).message
  }
  throw new Error('expected a rejection')
}

test('reads the fields of a Whisper verbose_json answer', () => {
  const parsed = parseVerboseTranscription(
    {
      task: 'transcribe',
      language: 'english',
      duration: 3.5,
      text: 'Hi there.',
      segments: [{ id: 0, start: 0, end: 1.2, text: ' Hi there.', tokens: [1] }],
    },
    where,
  )
  expect(parsed).toEqual({
    text: 'Hi there.',
    language: 'english',
    durationSeconds: 3.5,
    segments: [{ startSeconds: 0, endSeconds: 1.2, text: ' Hi there.' }],
  })
})

test('accepts text without segments from servers that ignore response_format', () => {
  expect(parseVerboseTranscription({ text: 'Hi.' }, where).segments).toBeNull()
  expect(parseVerboseTranscription('Hi.\n', where)).toEqual({ text: 'Hi.', language: null, durationSeconds: null, segments: null })
})

test('keeps a segment whose end precedes its start, ending it at its start', () => {
  const parsed = parseVerboseTranscription({ text: 'x', segments: [{ start: 2, end: 1.99, text: 'x' }] }, where)
  expect(parsed.segments).toEqual([{ startSeconds: 2, endSeconds: 2, text: 'x' }])
})

test('rejects answers with missing or mistyped fields, saying which', () => {
  expect(rejection([])).toContain('not a JSON object')
  expect(rejection({ segments: [] })).toContain('no `text`')
  expect(rejection({ text: '', language: 3 })).toContain('`language`')
  expect(rejection({ text: '', duration: -1 })).toContain('`duration`')
  expect(rejection({ text: '', segments: {} })).toContain('not a list')
  expect(rejection({ text: '', segments: [{ start: 0, end: Number.NaN, text: '' }] })).toContain('segment 0 has no valid start and end')
  expect(rejection({ text: '', segments: [{ start: 0, end: 1 }] })).toContain('segment 0 has no text')
})
