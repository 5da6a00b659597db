// Reads a transcription answer as untrusted JSON, field by field. verbose_json is
// what we ask for; a plain `{ text }` or a bare string (servers that ignore
// response_format) is accepted as text without timing.

import { AppError } from '../../platform/errors'

export type TimedText = { startSeconds: number; endSeconds: number; text: string }

export type VerboseTranscription = {
  text: string
  /** As reported ("english" from Whisper, "en" from some servers); null when absent. */
  language: string | null
  durationSeconds: number | null
  /** Null when the server sent no segments at all. */
  segments: TimedText[] | null
}

export function parseVerboseTranscription(body: unknown, where: string): VerboseTranscription {
  const fail = (detail: string) =>
    new AppError(502, 'transcription_invalid_response', 'Transcription service answered unexpectedly', `${where}: ${detail}`, {
      extras: { retryable: false },
    })
  if (typeof body === 'string') return { text: body.trim(), language: null, durationSeconds: null, segments: null }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw fail('the answer is not a JSON object.')
  const fields = body as Record<string, unknown>
  if (typeof fields.text !== 'string') throw fail('the answer has no `text`.')
  if (fields.language !== undefined && fields.language !== null && typeof fields.language !== 'string') {
    throw fail('`language` is not a string.')
  }
  const duration = fields.duration
  if (duration !== undefined && duration !== null && !isTime(duration)) throw fail('`duration` is not a non-negative number.')

  let segments: TimedText[] | null = null
  if (fields.segments !== undefined && fields.segments !== null) {
    if (!Array.isArray(fields.segments)) throw fail('`segments` is not a list.')
    segments = fields.segments.map((raw: unknown, i) => {
      const segment = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
      if (!isTime(segment.start) || !isTime(segment.end)) throw fail(`segment ${i} has no valid start and end.`)
      if (typeof segment.text !== 'string') throw fail(`segment ${i} has no text.`)
      // An end before the start is a rounding artefact, not a reason to lose the text.
      return { startSeconds: segment.start, endSeconds: Math.max(segment.start, segment.end), text: segment.text }
    })
  }
  return {
    text: fields.text,
    language: typeof fields.language === 'string' && fields.language !== '' ? fields.language : null,
    durationSeconds: isTime(duration) ? duration : null,
    segments,
  }
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}
