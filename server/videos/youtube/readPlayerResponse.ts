// The fields we need from an InnerTube /player response, read field by field
// because it is outside JSON: playability first (assertPlayable), then title,
// duration and the caption tracks. Malformed tracks are skipped, not fatal.
import { assertPlayable } from './assertPlayable.ts'
import type { CaptionTrack } from './selectCaptionTrack.ts'
import { captionsUnavailable } from './youtubeErrors.ts'

export type PlayerInfo = {
  title: string | null
  durationMs: number | null
  tracks: CaptionTrack[]
}

export function readPlayerResponse(json: unknown, videoId: string): PlayerInfo {
  if (!isObject(json)) throw captionsUnavailable('unexpected_response')
  assertPlayable(json.playabilityStatus)

  const details = isObject(json.videoDetails) ? json.videoDetails : {}
  // Blocked clients have been served a different, generic video instead of an
  // error; its captions must not be filed under this one.
  if (typeof details.videoId === 'string' && details.videoId !== videoId) throw captionsUnavailable('wrong_video')
  const title = typeof details.title === 'string' && details.title.trim() !== '' ? details.title.trim() : null
  // lengthSeconds is a decimal string; "0" is what live streams report.
  const seconds = typeof details.lengthSeconds === 'string' && /^\d+$/.test(details.lengthSeconds) ? Number(details.lengthSeconds) : 0
  const durationMs = seconds > 0 ? seconds * 1000 : null

  const captions = isObject(json.captions) ? json.captions : {}
  const renderer = isObject(captions.playerCaptionsTracklistRenderer) ? captions.playerCaptionsTracklistRenderer : {}
  const rawTracks = Array.isArray(renderer.captionTracks) ? renderer.captionTracks : []
  const tracks = rawTracks.flatMap((raw): CaptionTrack[] => {
    if (!isObject(raw) || typeof raw.baseUrl !== 'string' || typeof raw.languageCode !== 'string' || raw.languageCode === '') return []
    return [{ url: raw.baseUrl, languageCode: raw.languageCode, kind: raw.kind === 'asr' ? 'auto' : 'manual', name: textOf(raw.name) }]
  })
  if (tracks.length === 0) throw captionsUnavailable('no_captions')
  return { title, durationMs, tracks }
}

/** InnerTube text is either { simpleText } or { runs: [{ text }] }. */
function textOf(value: unknown): string {
  if (!isObject(value)) return ''
  if (typeof value.simpleText === 'string') return value.simpleText
  if (!Array.isArray(value.runs)) return ''
  return value.runs.map((run: unknown) => (isObject(run) && typeof run.text === 'string' ? run.text : '')).join('')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
