// fetchYoutubeVideo against a local fake YouTube serving recorded-shape responses
// (testing/youtube/fixtures/README.md): the real HTTP path, with Bun's own fetch, and no network.
import { describe, expect, test } from 'bun:test'
import { fake, fetchFrom, stopFakesAfterEach, timedtextRequests } from '../../../testing/youtube/fetchYoutubeHarness.ts'
import { FIXTURE_API_KEY, FIXTURE_VIDEO_ID as VIDEO, fixture } from '../../../testing/youtube/startFakeYoutube.ts'

stopFakesAfterEach()

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
