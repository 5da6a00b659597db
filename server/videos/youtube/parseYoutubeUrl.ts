// Turns what a person pastes (a watch, short, live, embed or youtu.be link, or a
// bare video ID) into a video ID and an optional start time. Playlists get their
// own error so the UI can say "not yet" rather than "invalid".
import { UnprocessableError } from '../../platform/errors.ts'

export type YoutubeUrl = { videoId: string; startSeconds: number | null }

const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/
// Generous: a real link is under 200 characters; this only stops pathological input early.
const MAX_INPUT_LENGTH = 2048

const YOUTUBE_HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com', 'music.youtube.com'])
const NOCOOKIE_HOSTS = new Set(['youtube-nocookie.com', 'www.youtube-nocookie.com'])
const SHORT_HOSTS = new Set(['youtu.be', 'www.youtu.be'])
/** Paths of the form /<kind>/<videoId>. `v` is the old Flash embed, still linked from old pages. */
const ID_PATH_KINDS = new Set(['shorts', 'embed', 'live', 'v'])

export function isYoutubeVideoId(value: string): boolean {
  return VIDEO_ID.test(value)
}

export function parseYoutubeUrl(input: string): YoutubeUrl {
  const text = input.trim()
  if (VIDEO_ID.test(text)) return { videoId: text, startSeconds: null }
  if (text.length > MAX_INPUT_LENGTH) throw invalidUrl()

  const url = toUrl(text)
  if (!url) throw invalidUrl()
  const host = url.hostname.toLowerCase().replace(/\.$/, '')
  const segments = url.pathname.split('/').filter((s) => s !== '')
  const startSeconds = parseStart(url)

  if (SHORT_HOSTS.has(host)) return video(segments[0], startSeconds)

  if (NOCOOKIE_HOSTS.has(host)) {
    if (segments[0] === 'embed' && segments[1] === 'videoseries' && url.searchParams.has('list')) throw playlistUnsupported()
    if (segments[0] === 'embed' || segments[0] === 'v') return video(segments[1], startSeconds)
    throw invalidUrl()
  }

  if (!YOUTUBE_HOSTS.has(host)) throw invalidUrl()
  const [first, second] = segments
  if (first === 'watch' && segments.length === 1) {
    // A video inside a playlist (v= and list=) is still one video: take it.
    const v = url.searchParams.get('v')
    if (v !== null) return video(v, startSeconds)
    if (url.searchParams.has('list')) throw playlistUnsupported()
    throw invalidUrl()
  }
  if (first === 'playlist' && url.searchParams.has('list')) throw playlistUnsupported()
  if (first === 'embed' && second === 'videoseries' && url.searchParams.has('list')) throw playlistUnsupported()
  if (first !== undefined && ID_PATH_KINDS.has(first)) return video(second, startSeconds)
  throw invalidUrl()
}

function toUrl(text: string): URL | null {
  // People paste links without a scheme ("youtu.be/…"); anything with another scheme is not a link we take.
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`
  if (!URL.canParse(candidate)) return null
  const url = new URL(candidate)
  return url.protocol === 'https:' || url.protocol === 'http:' ? url : null
}

function video(id: string | null | undefined, startSeconds: number | null): YoutubeUrl {
  if (id === null || id === undefined || !VIDEO_ID.test(id)) throw invalidUrl()
  return { videoId: id, startSeconds }
}

/** `t=90`, `t=90s`, `t=1h2m3s`, `start=90`, or the old `#t=1m30s`; anything else is ignored, not an error. */
function parseStart(url: URL): number | null {
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''))
  const raw = url.searchParams.get('t') ?? url.searchParams.get('start') ?? fragment.get('t')
  if (raw === null) return null
  const value = raw.trim().toLowerCase()
  if (/^\d+$/.test(value)) return Number(value)
  const parts = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value)
  if (!parts || value === '') return null
  const [, h = '0', m = '0', s = '0'] = parts
  return Number(h) * 3600 + Number(m) * 60 + Number(s)
}

function invalidUrl(): UnprocessableError {
  return new UnprocessableError(
    'youtube_url_invalid',
    'That is not a YouTube video link. Paste a link such as https://www.youtube.com/watch?v=VIDEO_ID or https://youtu.be/VIDEO_ID ' +
      '(Shorts, live and embed links work too), or the 11-character video ID.',
  )
}

function playlistUnsupported(): UnprocessableError {
  return new UnprocessableError('youtube_playlist_unsupported', 'Playlists are not supported yet: add the videos one by one.')
}
