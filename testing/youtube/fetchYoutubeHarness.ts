// Shared by the fetchYoutubeVideo tests: a fake YouTube per test, stopped
// after it, and assertions on the errors the fetch gives.
import { afterEach, expect } from 'bun:test'
import { AppError } from '../../server/platform/errors.ts'
import { fetchYoutubeVideo, type FetchYoutubeVideoOptions } from '../../server/videos/youtube/fetchYoutubeVideo.ts'
import { FIXTURE_VIDEO_ID as VIDEO, type FakeYoutube, type FakeYoutubeRoutes, startFakeYoutube } from './startFakeYoutube.ts'
import { CAPTIONS_UNAVAILABLE_DETAIL } from '../../server/videos/youtube/youtubeErrors.ts'

/** Call at the top of a test file: stops the fakes each test started. */
export function stopFakesAfterEach(): void {
  afterEach(() => {
    for (const stop of stops.splice(0)) stop()
  })
}

const stops: Array<() => void> = []

/** Stops something a test started (a proxy) once the test is over. */
export function stopAfterTest(stop: () => void): void {
  stops.push(stop)
}

export function fake(routes: FakeYoutubeRoutes = {}): FakeYoutube {
  const server = startFakeYoutube(routes)
  stops.push(server.stop)
  return server
}

export function fetchFrom(server: FakeYoutube, options: FetchYoutubeVideoOptions = {}) {
  return fetchYoutubeVideo(VIDEO, { baseUrl: server.baseUrl, ...options })
}

export async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected the fetch to fail')
}

export async function expectCaptionsUnavailable(promise: Promise<unknown>, reason: string): Promise<AppError> {
  const error = await failure(promise)
  expect({ status: error.status, code: error.code, reason: error.extras.reason }).toEqual({
    status: 422,
    code: 'youtube_captions_unavailable',
    reason,
  })
  expect(error.message).toBe(CAPTIONS_UNAVAILABLE_DETAIL)
  return error
}

export function timedtextRequests(server: FakeYoutube) {
  return server.requests.filter((r) => r.path === '/api/timedtext')
}
