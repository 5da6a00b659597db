// fetchYoutubeVideo over the network: refused connections, deadlines, aborts, proxies (local, no internet).
import { describe, expect, test } from 'bun:test'
import { fetchYoutubeVideo } from './fetchYoutubeVideo.ts'
import {
  expectCaptionsUnavailable,
  failure,
  fake,
  fetchFrom,
  stopAfterTest,
  stopFakesAfterEach,
} from '../../../testing/youtube/fetchYoutubeHarness.ts'
import type { FetchLike } from './requestText.ts'
import { startForwardProxy } from '../../../testing/youtube/startForwardProxy.ts'

stopFakesAfterEach()

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
  test("passes proxyUrl to fetch as Bun's proxy option on every request", async () => {
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
    stopAfterTest(proxy.stop)

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
