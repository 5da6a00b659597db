// fetchYoutubeVideo when YouTube refuses or answers oddly (local fake, no network).
import { describe, expect, test } from 'bun:test'
import {
  expectCaptionsUnavailable,
  failure,
  fake,
  fetchFrom,
  stopFakesAfterEach,
  timedtextRequests,
} from '../../../testing/youtube/fetchYoutubeHarness.ts'
import { FIXTURE_VIDEO_ID as VIDEO, fixture, html } from '../../../testing/youtube/startFakeYoutube.ts'
import { VIDEO_UNAVAILABLE_DETAIL } from './youtubeErrors.ts'

stopFakesAfterEach()

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
        new Response(
          fixture('player-ok.json').replaceAll('https://www.youtube.com', url.origin).replaceAll('&fmt=srv3', '&exp=xpe&fmt=srv3'),
        ),
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
