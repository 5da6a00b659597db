// Field-by-field reading of the InnerTube player response; the recorded-shape
// fixtures are exercised end to end in fetchYoutubeVideo.test.ts.
import { describe, expect, test } from 'bun:test'
import { AppError } from '../../platform/errors.ts'
import { readPlayerResponse } from './readPlayerResponse.ts'
import { fixture } from '../../../testing/youtube/startFakeYoutube.ts'

const VIDEO = 'Kt3nPLx7Qw0'
const TRACK = { baseUrl: 'https://www.youtube.com/api/timedtext?lang=en', languageCode: 'en', name: { simpleText: 'English' } }

function reasonOf(json: unknown): string {
  try {
    readPlayerResponse(json, VIDEO)
  } catch (error) {
    if (error instanceof AppError) return `${error.code}/${String(error.extras.reason)}`
    throw error
  }
  return 'ok'
}

describe('readPlayerResponse', () => {
  test('reads title, duration and tracks from the recorded shape, names from runs', () => {
    const info = readPlayerResponse(JSON.parse(fixture('player-ok.json')), VIDEO)
    expect(info.title).toBe('Postgres query plans, explained')
    expect(info.durationMs).toBe(754_000)
    expect(info.tracks.map((t) => [t.languageCode, t.kind, t.name])).toEqual([
      ['da', 'manual', 'Danish'],
      ['en', 'manual', 'English'],
      ['en', 'auto', 'English (auto-generated)'],
    ])
  })

  test('a missing title and a zero length (live) read as null, not as "" or 0', () => {
    const json = {
      videoDetails: { videoId: VIDEO, title: '  ', lengthSeconds: '0' },
      captions: { playerCaptionsTracklistRenderer: { captionTracks: [TRACK] } },
    }
    const info = readPlayerResponse(json, VIDEO)
    expect({ title: info.title, durationMs: info.durationMs }).toEqual({ title: null, durationMs: null })
  })

  test('skips malformed tracks and keeps the good ones; simpleText names are read too', () => {
    const info = readPlayerResponse(
      {
        captions: {
          playerCaptionsTracklistRenderer: { captionTracks: [null, { languageCode: 'en' }, { baseUrl: 'x', languageCode: '' }, TRACK] },
        },
      },
      VIDEO,
    )
    expect(info.tracks).toEqual([{ url: TRACK.baseUrl, languageCode: 'en', kind: 'manual', name: 'English' }])
  })

  test('no usable track at all is no_captions', () => {
    expect(reasonOf({ captions: { playerCaptionsTracklistRenderer: { captionTracks: [{ languageCode: 'en' }] } } })).toBe(
      'youtube_captions_unavailable/no_captions',
    )
    expect(reasonOf({ captions: { playerCaptionsTracklistRenderer: {} } })).toBe('youtube_captions_unavailable/no_captions')
  })

  test.each([
    [
      { status: 'LIVE_STREAM_OFFLINE', reason: 'This live event will begin in 3 hours.' },
      'youtube_captions_unavailable/live_stream_offline',
    ],
    [{ status: 'LOGIN_REQUIRED', reason: 'Sign in to confirm your age' }, 'youtube_captions_unavailable/age_restricted'],
    [{ status: 'LOGIN_REQUIRED', reason: "Sign in to confirm you're not a bot" }, 'youtube_captions_unavailable/bot_check'],
    [
      { status: 'LOGIN_REQUIRED', reason: 'Join this channel to get access to members-only content' },
      'youtube_captions_unavailable/login_required',
    ],
    [
      { status: 'CONTENT_CHECK_REQUIRED', reason: 'The following content may be inappropriate.' },
      'youtube_captions_unavailable/unplayable',
    ],
    [{ status: 'ERROR' }, 'youtube_video_unavailable/video_unavailable'],
  ])('playability %j is %s', (playabilityStatus, expected) => {
    expect(reasonOf({ playabilityStatus, captions: { playerCaptionsTracklistRenderer: { captionTracks: [TRACK] } } })).toBe(expected)
  })

  test('a response that is not an object is unexpected_response', () => {
    expect(reasonOf([])).toBe('youtube_captions_unavailable/unexpected_response')
    expect(reasonOf('OK')).toBe('youtube_captions_unavailable/unexpected_response')
  })
})
