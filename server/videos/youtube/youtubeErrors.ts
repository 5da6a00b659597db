// The two ways fetching a YouTube video fails, as the person adding it should see
// them. `reason` is a short stable string for logs, metrics and support; upstream
// text (playability reasons, bodies) only ever travels in `cause`, never in `detail`.
import { AppError } from '../../platform/errors.ts'

export type CaptionsUnavailableReason =
  | 'no_captions'
  | 'bot_check'
  | 'age_restricted'
  | 'login_required'
  | 'live_stream_offline'
  | 'unplayable'
  | 'consent_required'
  | 'po_token_required'
  | 'empty_captions'
  | 'captions_unparsable'
  | 'wrong_video'
  | 'unexpected_response'
  | 'response_too_large'
  | 'network'
  | `http_${number}`

export type VideoUnavailableReason = 'video_unavailable' | 'private' | 'unplayable'

export const CAPTIONS_UNAVAILABLE_DETAIL = 'Captions unavailable from this server: upload the subtitle file or an audio file instead.'
export const VIDEO_UNAVAILABLE_DETAIL =
  'This YouTube video is unavailable: it may be private, removed or blocked. Check the link, or upload the subtitle file or an audio file instead.'

const AUDIO_ADVICE = 'upload the subtitle file or an audio file instead'
const SUBTITLE_ADVICE = 'upload the subtitle file instead'

/**
 * The same refusal advising only what the server takes: without a transcription
 * service an audio file would be refused too, so it is not suggested.
 */
export function withUploadAdvice(err: unknown, canTranscribe: boolean): unknown {
  if (canTranscribe || !(err instanceof AppError) || !err.message.includes(AUDIO_ADVICE)) return err
  return new AppError(err.status, err.code, err.title, err.message.replace(AUDIO_ADVICE, SUBTITLE_ADVICE), {
    cause: err.cause,
    extras: err.extras,
  })
}

export function captionsUnavailable(reason: CaptionsUnavailableReason, cause?: unknown): AppError {
  return new AppError(422, 'youtube_captions_unavailable', 'Captions unavailable', CAPTIONS_UNAVAILABLE_DETAIL, {
    cause,
    extras: { reason },
  })
}

export function videoUnavailable(reason: VideoUnavailableReason, cause?: unknown): AppError {
  return new AppError(422, 'youtube_video_unavailable', 'Video unavailable', VIDEO_UNAVAILABLE_DETAIL, {
    cause,
    extras: { reason },
  })
}
