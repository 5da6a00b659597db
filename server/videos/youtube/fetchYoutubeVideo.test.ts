// fetchYoutubeVideo against a local fake YouTube serving recorded-shape responses
// (fixtures/README.md): the real HTTP path, with Bun's own fetch, and no network.
import { afterEach, describe, expect, test } from 'bun:test'
import { AppError } from '../../platform/errors.ts'
import { fetchYoutubeVideo, type FetchYoutubeVideoOptions } from './fetchYoutubeVideo.ts'
import type { FetchLike } from './requestText.ts'
import {
  FIXTURE_API_KEY,
  FIXTURE_VIDEO_ID as VIDEO,
  type FakeYoutube,
  type FakeYoutubeRoutes,
  fixture,
  html,
  startFakeYoutube,
} from './startFakeYoutube.ts'
import { startForwardProxy } from './startForwardProxy.ts'
import { CAPTIONS_UNAVAILABLE_DETAIL, VIDEO_UNAVAILABLE_DETAIL } from './youtubeErrors.ts'

const stops: Array<() => void> = []
afterEach(() => {
  for (const stop of stops.splice(0)) stop()
})

function fake(routes: FakeYoutubeRoutes = {}): FakeYoutube {
  const server = startFakeYoutube(routes)
  stops.push(server.stop)
  return server
}

function fetchFrom(server: FakeYoutube, options: FetchYoutubeVideoOptions = {}) {
  return fetchYoutubeVideo(VIDEO, { baseUrl: server.baseUrl, ...options })
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected the fetch to fail')
}

async function expectCaptionsUnavailable(promise: Promise<unknown>, reason: string): Promise<AppError> {
  const error = await failure(promise)
  expect({ status: error.status, code: error.code, reason: error.extras.reason }).toEqual({
    status: 422,
    code: 'youtube_captions_unavailable',
    reason,
  })
  expect(error.message).toBe(CAPTIONS_UNAVAILABLE_DETAIL)
  return error
}

function timedtextRequests(server: FakeYoutube) {
  return server.requests.filter((r) => r.path === '/api/timedtext')
}

describe('fetchYoutubeVideo: captions', () => {
  test('reads title, duration and the manual English captions, preferred over the auto-generated ones', async () => {
    const server = fake()
    const video = await fetchFrom(server, { language: 'en' })

    expect(video).toMatchObject({
      videoId: VIDEO,
      title: 'Postgres query plans, explained',
      durationMs: 754_000,
      language: 'en',
      captionKind: 'manual',
    })
    expect(video.segments).toEqual([
      { startMs: 1200, endMs: 4560, speaker: null, text: 'Every query you send to Postgres' },
      { startMs: 4560, endMs: 7440, speaker: null, text: 'gets a plan before it runs.' },
      { startMs: 7440, endMs: 11560, speaker: null, text: 'EXPLAIN shows you that plan; EXPLAIN ANALYZE runs it & times it.' },
      { startMs: 11560, endMs: 15200, speaker: null, text: "Let's read one, node by node." },
    ])
    const [track] = timedtextRequests(server)
    expect(track?.query.get('lang')).toBe('en')
    expect(track?.query.get('kind')).toBeNull()
  })

  test('makes the three calls youtube-transcript-api makes: watch page, InnerTube player with the page key, caption track', async () => {
    const server = fake()
    await fetchFrom(server)

    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /watch', 'POST /youtubei/v1/player', 'GET /api/timedtext'])
    const [watch, player] = server.requests
    expect(watch?.query.get('v')).toBe(VIDEO)
    expect(player?.query.get('key')).toBe(FIXTURE_API_KEY)
    expect(JSON.parse(player?.body ?? '')).toMatchObject({ videoId: VIDEO, context: { client: { clientName: 'ANDROID' } } })
    // Playability reasons are matched in English, so English is what we ask for.
    expect(player?.headers.get('accept-language')).toStartWith('en-US')
  })

  test('without a language, takes the manual track in the spoken language, not the first one listed (Danish)', async () => {
    const video = await fetchFrom(fake())
    expect({ language: video.language, kind: video.captionKind }).toEqual({ language: 'en', kind: 'manual' })
  })

  test('a requested language with a manual track is used', async () => {
    const video = await fetchFrom(fake(), { language: 'da' })
    expect(video.language).toBe('da')
    expect(video.segments[0]?.text).toBe('Hver forespørgsel, du sender til Postgres,')
  })

  test('a regional variant finds the base-language track', async () => {
    const video = await fetchFrom(fake(), { language: 'en-GB' })
    expect({ language: video.language, kind: video.captionKind }).toEqual({ language: 'en', kind: 'manual' })
  })

  test('a video with only auto-generated captions gives those, word timings merged into lines', async () => {
    const video = await fetchFrom(fake({ player: 'player-auto-only.json' }), { language: 'en' })
    expect(video.captionKind).toBe('auto')
    expect(video.segments.map((s) => [s.startMs, s.text])).toEqual([
      [1280, 'every query you send to postgres'],
      [3120, 'gets a plan before it runs'],
      [6320, 'explain shows you that plan'],
    ])
  })

  test('reads json3 and format-1 XML too, when the track URL asks for those formats', async () => {
    const withFormat = (name: string, fmt: string) => (_request: Request, url: URL) =>
      new Response(fixture(name).replaceAll('https://www.youtube.com', url.origin).replaceAll('&fmt=srv3', fmt))

    const json3 = await fetchFrom(fake({ player: withFormat('player-auto-only.json', '&fmt=json3') }))
    expect(json3.segments.map((s) => [s.startMs, s.endMs, s.text])).toEqual([
      [1280, 4320, 'every query you send to postgres'],
      [3120, 6320, 'gets a plan'],
    ])

    const format1 = await fetchFrom(fake({ player: withFormat('player-ok.json', '') }), { language: 'en' })
    expect(format1.segments.map((s) => s.text)).toEqual([
      'Every query you send to Postgres',
      'gets a plan before it runs.',
      'EXPLAIN shows you that plan; EXPLAIN ANALYZE runs it & times it.',
      "Let's read one, node by node.",
    ])
  })
})

describe('fetchYoutubeVideo: YouTube refuses', () => {
  test('a video without captions is captions-unavailable (no_captions), without a caption request', async () => {
    const server = fake({ player: 'player-no-captions.json' })
    await expectCaptionsUnavailable(fetchFrom(server), 'no_captions')
    expect(timedtextRequests(server)).toEqual([])
  })

  test('the "not a bot" sign-in wall is captions-unavailable (bot_check), upstream words kept out of the message', async () => {
    const error = await expectCaptionsUnavailable(fetchFrom(fake({ player: 'player-bot-check.json' })), 'bot_check')
    expect(error.message).not.toContain('bot')
    expect(String((error.cause as Error).message)).toContain('not a bot')
  })

  test('an age-restricted video is captions-unavailable (age_restricted)', async () => {
    await expectCaptionsUnavailable(fetchFrom(fake({ player: 'player-age-restricted.json' })), 'age_restricted')
  })

  test.each([
    ['player-unavailable.json', 'video_unavailable'],
    ['player-private.json', 'private'],
    ['player-unplayable.json', 'unplayable'],
  ])('%s is youtube_video_unavailable (%s)', async (player, reason) => {
    const error = await failure(fetchFrom(fake({ player })))
    expect({ status: error.status, code: error.code, reason: error.extras.reason }).toEqual({
      status: 422,
      code: 'youtube_video_unavailable',
      reason,
    })
    expect(error.message).toBe(VIDEO_UNAVAILABLE_DETAIL)
  })

  test('a player response for a different video is not taken as this one (wrong_video)', async () => {
    const other = (_request: Request, url: URL) =>
      new Response(fixture('player-ok.json').replaceAll('https://www.youtube.com', url.origin).replaceAll(VIDEO, 'aQvGIIdgFDM'))
    await expectCaptionsUnavailable(fetchFrom(fake({ player: other })), 'wrong_video')
  })

  test('HTTP 429 on the watch page is captions-unavailable (http_429) and stops there', async () => {
    const server = fake({ watch: () => html(fixture('recaptcha.html'), 429) })
    await expectCaptionsUnavailable(fetchFrom(server), 'http_429')
    expect(server.requests).toHaveLength(1)
  })

  test('HTTP 429 on the player call or the caption download is captions-unavailable (http_429)', async () => {
    const tooMany = () => new Response('{"error":{"code":429}}', { status: 429 })
    await expectCaptionsUnavailable(fetchFrom(fake({ player: tooMany })), 'http_429')
    await expectCaptionsUnavailable(fetchFrom(fake({ timedtext: tooMany })), 'http_429')
  })

  test('other HTTP errors carry their status in the reason', async () => {
    await expectCaptionsUnavailable(fetchFrom(fake({ watch: () => html('<h1>Server Error</h1>', 503) })), 'http_503')
  })

  test('a recaptcha page served with 200 is a bot check', async () => {
    await expectCaptionsUnavailable(fetchFrom(fake({ watch: () => html(fixture('recaptcha.html')) })), 'bot_check')
  })

  test('the EU consent page is accepted with a CONSENT cookie, then the fetch goes on', async () => {
    const server = fake({
      watch: (request) => html(fixture(request.headers.get('cookie')?.includes('CONSENT=YES+') ? 'watch.html' : 'consent.html')),
    })
    const video = await fetchFrom(server)

    expect(video.segments.length).toBeGreaterThan(0)
    expect(server.requests.map((r) => r.path)).toEqual(['/watch', '/watch', '/youtubei/v1/player', '/api/timedtext'])
    // The cookie is built from the consent form's hidden "v" and sent on every later request.
    for (const request of server.requests.slice(1)) expect(request.headers.get('cookie')).toBe('CONSENT=YES+cb.20210328-17-p0.en+FX+119')
  })

  test('a consent page that keeps coming back is captions-unavailable (consent_required)', async () => {
    const server = fake({ watch: () => html(fixture('consent.html')) })
    await expectCaptionsUnavailable(fetchFrom(server), 'consent_required')
    expect(server.requests).toHaveLength(2)
  })

  test('garbage HTML is captions-unavailable (unexpected_response) and none of it reaches the error', async () => {
    const error = await expectCaptionsUnavailable(
      fetchFrom(fake({ watch: () => html('<html><body>SECRET-UPSTREAM-MARKER totally not YouTube</body></html>') })),
      'unexpected_response',
    )
    expect(JSON.stringify({ message: error.message, extras: error.extras })).not.toContain('SECRET-UPSTREAM-MARKER')
  })

  test('a player response that is not JSON is captions-unavailable (unexpected_response)', async () => {
    await expectCaptionsUnavailable(fetchFrom(fake({ player: () => html('<html>oops</html>') })), 'unexpected_response')
  })

  test('an empty caption body (what a track needing a PO token returns) is empty_captions', async () => {
    await expectCaptionsUnavailable(fetchFrom(fake({ timedtext: () => new Response('') })), 'empty_captions')
  })

  test('a track URL marked exp=xpe is reported as needing a PO token, without fetching it', async () => {
    const server = fake({
      player: (_request, url) =>
        new Response(fixture('player-ok.json').replaceAll('https://www.youtube.com', url.origin).replaceAll('&fmt=srv3', '&exp=xpe&fmt=srv3')),
    })
    await expectCaptionsUnavailable(fetchFrom(server), 'po_token_required')
    expect(timedtextRequests(server)).toEqual([])
  })

  test('an unreadable caption body is captions_unparsable', async () => {
    const unreadable = () => new Response('<transcript><text start="soon">hi</text></transcript>')
    await expectCaptionsUnavailable(fetchFrom(fake({ timedtext: unreadable })), 'captions_unparsable')
  })

  test('a caption URL pointing off YouTube is not followed', async () => {
    const server = fake({
      player: (_request, url) =>
        new Response(
          fixture('player-ok.json')
            .replaceAll('https://www.youtube.com', url.origin)
            .replaceAll(`${url.origin}/api/timedtext`, 'http://169.254.169.254/latest'),
        ),
    })
    await expectCaptionsUnavailable(fetchFrom(server), 'unexpected_response')
  })
})

describe('fetchYoutubeVideo: network', () => {
  test('a refused connection is captions-unavailable (network)', async () => {
    const server = fake()
    server.stop()
    await expectCaptionsUnavailable(fetchFrom(server), 'network')
  })

  test('a request that outlives its deadline is captions-unavailable (network)', async () => {
    const server = fake({ player: () => new Promise<Response>(() => {}) })
    await expectCaptionsUnavailable(fetchFrom(server, { timeoutMs: 50 }), 'network')
  })

  test("the caller's abort is re-thrown as is, not turned into a YouTube error", async () => {
    const controller = new AbortController()
    const cancelled = new Error('job cancelled')
    const server = fake({
      player: () => {
        controller.abort(cancelled)
        return new Promise<Response>(() => {})
      },
    })
    await expect(fetchFrom(server, { signal: controller.signal })).rejects.toBe(cancelled)
  })

  test('an invalid video ID is refused before any request', async () => {
    const server = fake()
    const error = await failure(fetchYoutubeVideo('not-an-id', { baseUrl: server.baseUrl }))
    expect(error.code).toBe('youtube_url_invalid')
    expect(server.requests).toEqual([])
  })
})

describe('fetchYoutubeVideo: proxy', () => {
  test('passes proxyUrl to fetch as Bun\'s proxy option on every request', async () => {
    const server = fake()
    const seen: Array<BunFetchRequestInit['proxy']> = []
    const spy: FetchLike = (input, init) => {
      seen.push(init.proxy)
      return fetch(input, { ...init, proxy: undefined })
    }
    await fetchFrom(server, { proxyUrl: 'http://proxy.internal:3128', fetch: spy })
    expect(seen).toEqual(Array(3).fill({ url: 'http://proxy.internal:3128', respectNoProxy: false }))
  })

  test('without proxyUrl, no proxy option is set', async () => {
    const seen: unknown[] = []
    const spy: FetchLike = (input, init) => {
      seen.push('proxy' in init)
      return fetch(input, init)
    }
    await fetchFrom(fake(), { fetch: spy })
    expect(seen).toEqual([false, false, false])
  })

  test('every request really goes through an HTTP forward proxy', async () => {
    const server = fake()
    const proxy = startForwardProxy()
    stops.push(proxy.stop)

    const video = await fetchFrom(server, { proxyUrl: proxy.url })

    expect(video.captionKind).toBe('manual')
    expect(proxy.seen.map((line) => line.replace(server.baseUrl, '{yt}').replace(/\?.*/, ''))).toEqual([
      'GET {yt}/watch',
      'POST {yt}/youtubei/v1/player',
      'GET {yt}/api/timedtext',
    ])
    expect(server.requests).toHaveLength(3)
  })

  test('a proxy that refuses connections is captions-unavailable (network)', async () => {
    const proxy = startForwardProxy()
    proxy.stop()
    await expectCaptionsUnavailable(fetchFrom(fake(), { proxyUrl: proxy.url }), 'network')
  })
})
