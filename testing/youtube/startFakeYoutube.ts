// A local stand-in for www.youtube.com that serves the recorded-shape fixtures,
// for tests. By default it behaves like YouTube for a video with manual da/en and
// auto en captions, and checks what a real server would refuse: the player call
// must carry the page's API key and a JSON body naming a video. Each route can be
// replaced to play a failure. Caption URLs in player fixtures point at
// https://www.youtube.com; they are rewritten to this server, as a replay proxy would.
import { readFileSync } from 'node:fs'

export type FakeRoute = (request: Request, url: URL) => Response | Promise<Response>

export type RecordedRequest = { method: string; path: string; query: URLSearchParams; headers: Headers; body: string }

export type FakeYoutube = {
  baseUrl: string
  requests: RecordedRequest[]
  stop(): void
}

export type FakeYoutubeRoutes = {
  watch?: FakeRoute
  /** A fixture name (served with the default checks) or a whole route. */
  player?: string | FakeRoute
  timedtext?: FakeRoute
}

export const FIXTURE_VIDEO_ID = 'Kt3nPLx7Qw0'
export const FIXTURE_API_KEY = 'AIzaSyFixtureKeyNotReal-000000000000000'

export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
}

export function html(body: string, status = 200): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8' } })
}

export function startFakeYoutube(routes: FakeYoutubeRoutes = {}): FakeYoutube {
  const requests: RecordedRequest[] = []
  let origin = '' // known once the server has its port
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request): Promise<Response> {
      const url = new URL(request.url)
      const body = await request.text()
      requests.push({ method: request.method, path: url.pathname, query: url.searchParams, headers: request.headers, body })
      // The body was consumed for the record; routes get a fresh copy.
      const replay = new Request(request.url, { method: request.method, headers: request.headers, body: body === '' ? undefined : body })
      if (url.pathname === '/watch') return (routes.watch ?? serveWatchPage)(replay, url)
      if (url.pathname === '/youtubei/v1/player') {
        const player = routes.player ?? 'player-ok.json'
        return typeof player === 'string' ? servePlayer(player, origin)(replay, url) : player(replay, url)
      }
      if (url.pathname === '/api/timedtext') return (routes.timedtext ?? serveTimedtext)(replay, url)
      return html('<!DOCTYPE html><title>404 Not Found</title>', 404)
    },
  })
  origin = `http://127.0.0.1:${server.port}`
  return { baseUrl: origin, requests, stop: () => server.stop(true) }
}

const serveWatchPage: FakeRoute = () => html(fixture('watch.html'))

function servePlayer(name: string, origin: string): FakeRoute {
  return async (request, url) => {
    if (request.method !== 'POST') return innertubeError(405, 'Method Not Allowed')
    if (url.searchParams.get('key') !== FIXTURE_API_KEY) return innertubeError(400, 'API key not valid. Please pass a valid API key.')
    let body: unknown
    try {
      body = await request.json()
    } catch {
      return innertubeError(400, 'Invalid JSON payload received.')
    }
    const { videoId, context } = (body ?? {}) as { videoId?: unknown; context?: { client?: { clientName?: unknown } } }
    if (typeof videoId !== 'string' || typeof context?.client?.clientName !== 'string') {
      return innertubeError(400, 'Request contains an invalid argument.')
    }
    const json = fixture(name).replaceAll('https://www.youtube.com', origin)
    return new Response(json, { headers: { 'content-type': 'application/json; charset=UTF-8' } })
  }
}

const FORMAT_FILES: Record<string, string> = { srv3: 'srv3.xml', json3: 'json3.json', '': 'fmt1.xml' }

/** Picks timedtext-<lang>[-asr].<fmt> by the query, as the real endpoint picks a track; 404 when there is none. */
const serveTimedtext: FakeRoute = (_request, url) => {
  const lang = url.searchParams.get('lang') ?? ''
  const asr = url.searchParams.get('kind') === 'asr' ? '-asr' : ''
  const extension = FORMAT_FILES[url.searchParams.get('fmt') ?? '']
  if (!/^[a-z-]+$/i.test(lang) || !extension) return new Response('', { status: 404 })
  try {
    const body = fixture(`timedtext-${lang}${asr}.${extension}`)
    const type = extension.endsWith('json') ? 'application/json; charset=UTF-8' : 'text/xml; charset=UTF-8'
    return new Response(body, { headers: { 'content-type': type } })
  } catch {
    return new Response('', { status: 404 })
  }
}

function innertubeError(code: number, message: string): Response {
  return Response.json({ error: { code, message, status: code === 400 ? 'INVALID_ARGUMENT' : 'UNKNOWN' } }, { status: code })
}
