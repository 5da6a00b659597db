// Fetches a YouTube video's title, duration and captions, as timed segments.
//
// Decision: a small client of our own, modelled on the Python
// youtube-transcript-api (jdepoix/youtube-transcript-api, 2025), not an npm
// package. youtubei.js (LuanRT/YouTube.js) takes a custom fetch but has no
// base-URL option (its hosts are constants), and creating its session loads and
// evaluates YouTube's player JavaScript: a lot of surface to emulate in tests for
// what captions need. The small transcript packages on npm at best take a custom
// fetch, not a base URL. Three requests are easy to keep honest against recorded
// responses:
//   1. GET  {base}/watch?v=ID            -> INNERTUBE_API_KEY (fetchInnertubeApiKey.ts)
//   2. POST {base}/youtubei/v1/player    -> playability, videoDetails, caption tracks,
//      as the ANDROID InnerTube client, whose caption URLs have needed no
//      proof-of-origin (PO) token (readPlayerResponse.ts)
//   3. GET  the chosen track's baseUrl    -> timedtext XML (srv3 or format 1) or json3,
//      parsed by the shared transcript parsers
// Track choice: see selectCaptionTrack.ts. Failures: see youtubeErrors.ts.
// YouTube changes this surface without notice; when it does, re-record the
// fixtures (testing/youtube/fixtures/README.md) and adjust the step that broke.
import { UnprocessableError } from '../../platform/errors.ts'
import { parseTranscript, type Segment } from '../transcripts/parseTranscript.ts'
import { EMPTY_TRANSCRIPT, TranscriptParseError } from '../transcripts/transcriptParseError.ts'
import { fetchInnertubeApiKey } from './fetchInnertubeApiKey.ts'
import { isYoutubeVideoId } from './parseYoutubeUrl.ts'
import { readPlayerResponse } from './readPlayerResponse.ts'
import { type FetchLike, requestText, type YoutubeSession } from './requestText.ts'
import { type CaptionKind, type CaptionTrack, selectCaptionTrack } from './selectCaptionTrack.ts'
import { captionsUnavailable } from './youtubeErrors.ts'

export type FetchYoutubeVideoOptions = {
  /** Default https://www.youtube.com; tests point it at a local fake. */
  baseUrl?: string
  /** http:// or https:// forward proxy for every request of this fetch (Bun's fetch `proxy`). */
  proxyUrl?: string | null
  /** Preferred caption language (BCP 47-ish, e.g. "en", "en-GB", "da"); null for the video's own. */
  language?: string | null
  /** Aborting re-throws the signal's reason rather than a YouTube error. */
  signal?: AbortSignal
  /** Deadline for each request, body included. */
  timeoutMs?: number
  fetch?: FetchLike
}

export type YoutubeVideo = {
  videoId: string
  /** Falls back to "YouTube video <id>" when YouTube sends no title. */
  title: string
  durationMs: number | null
  language: string
  captionKind: CaptionKind
  segments: Segment[]
}

export const DEFAULT_YOUTUBE_BASE_URL = 'https://www.youtube.com'
export const DEFAULT_YOUTUBE_TIMEOUT_MS = 20_000

// What youtube-transcript-api sends; the ANDROID client gets caption URLs that
// work without a PO token where the WEB client's do not.
const INNERTUBE_CONTEXT = { client: { clientName: 'ANDROID', clientVersion: '20.10.38', hl: 'en' } }

export async function fetchYoutubeVideo(videoId: string, options: FetchYoutubeVideoOptions = {}): Promise<YoutubeVideo> {
  if (!isYoutubeVideoId(videoId)) {
    throw new UnprocessableError('youtube_url_invalid', 'A YouTube video ID is 11 characters: letters, digits, - and _.')
  }
  const baseUrl = (options.baseUrl ?? DEFAULT_YOUTUBE_BASE_URL).replace(/\/+$/, '')
  const session: YoutubeSession = {
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    proxyUrl: options.proxyUrl ?? null,
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? DEFAULT_YOUTUBE_TIMEOUT_MS,
    cookies: new Map(),
  }

  const apiKey = await fetchInnertubeApiKey(session, baseUrl, videoId)
  const playerJson = await requestText(session, `${baseUrl}/youtubei/v1/player?key=${encodeURIComponent(apiKey)}&prettyPrint=false`, {
    template: '/youtubei/v1/player',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ context: INNERTUBE_CONTEXT, videoId }),
  })
  const player = readPlayerResponse(parseJson(playerJson), videoId)

  const track = selectCaptionTrack(player.tracks, options.language ?? null)
  if (!track) throw captionsUnavailable('no_captions')
  const segments = parseCaptions(await requestText(session, captionUrl(track, baseUrl), { template: '/api/timedtext' }))

  return {
    videoId,
    title: player.title ?? `YouTube video ${videoId}`,
    durationMs: player.durationMs,
    language: track.languageCode,
    captionKind: track.kind,
    segments,
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw captionsUnavailable('unexpected_response', cause)
  }
}

/**
 * The track URL as YouTube gave it (its `fmt` included), resolved against the
 * base URL. It must stay on the base URL's origin or a YouTube host: the URL
 * comes from a response, and we do not fetch wherever a response points.
 */
function captionUrl(track: CaptionTrack, baseUrl: string): string {
  if (!URL.canParse(track.url, `${baseUrl}/`)) throw captionsUnavailable('unexpected_response')
  const url = new URL(track.url, `${baseUrl}/`)
  const host = url.hostname.toLowerCase()
  const isYoutube = url.protocol === 'https:' && (host === 'youtube.com' || host.endsWith('.youtube.com'))
  if (url.origin !== new URL(baseUrl).origin && !isYoutube) throw captionsUnavailable('unexpected_response')
  // `exp=xpe` marks URLs that answer empty without a proof-of-origin token
  // (youtube-transcript-api's PoTokenRequired); say so instead of "empty".
  if (url.searchParams.get('exp') === 'xpe') throw captionsUnavailable('po_token_required')
  return url.href
}

function parseCaptions(body: string): Segment[] {
  const text = body.trim()
  if (text === '') throw captionsUnavailable('empty_captions')
  // The format follows the URL's fmt (srv3/format 1 XML, or json3); the body says which.
  const format = text.startsWith('{') ? 'youtube_json3' : 'youtube_xml'
  try {
    return parseTranscript(format, text)
  } catch (error) {
    if (error instanceof TranscriptParseError) {
      throw captionsUnavailable(error.reason === EMPTY_TRANSCRIPT ? 'empty_captions' : 'captions_unparsable', error)
    }
    throw error
  }
}
