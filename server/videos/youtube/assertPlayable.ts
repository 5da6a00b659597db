// Reads `playabilityStatus` from an InnerTube player response and throws when the
// video cannot be played from here, sorting the failure into "the video is gone"
// (youtube_video_unavailable) and "YouTube will not give this server captions"
// (youtube_captions_unavailable). The status enum is stable; `reason` is English
// prose (we ask for en-US), so it is matched loosely and only to pick a reason.
import { captionsUnavailable, videoUnavailable } from './youtubeErrors.ts'

const BOT_CHECK = /not a bot/i
const AGE_GATE = /inappropriate for some users|confirm your age|age[- ]restricted/i
const PRIVATE = /\bprivate\b/i

export function assertPlayable(playabilityStatus: unknown): void {
  if (!isObject(playabilityStatus)) return
  const status = playabilityStatus.status
  // A missing status is how older responses said OK; the caption list decides then.
  if (status === undefined || status === 'OK') return
  const reason = typeof playabilityStatus.reason === 'string' ? playabilityStatus.reason : ''
  // Upstream words stay in the cause (logs), never in the message.
  const cause = new Error(`YouTube playabilityStatus ${String(status)}: ${reason.slice(0, 200)}`)

  switch (status) {
    case 'LOGIN_REQUIRED':
      if (BOT_CHECK.test(reason)) throw captionsUnavailable('bot_check', cause)
      if (AGE_GATE.test(reason)) throw captionsUnavailable('age_restricted', cause)
      if (PRIVATE.test(reason)) throw videoUnavailable('private', cause)
      throw captionsUnavailable('login_required', cause)
    case 'ERROR':
      throw videoUnavailable('video_unavailable', cause)
    case 'UNPLAYABLE':
      throw videoUnavailable('unplayable', cause)
    case 'LIVE_STREAM_OFFLINE':
      throw captionsUnavailable('live_stream_offline', cause)
    default:
      throw captionsUnavailable('unplayable', cause)
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
