// Replaces the global fetch for the length of a test, so provider HTTP (Arctic's
// token requests, the GitHub API) is answered in-process. A URL without a route
// fails loudly instead of reaching the network.
export type RecordedRequest = { method: string; url: URL; headers: Headers; body: string }
export type FetchRoute = (req: RecordedRequest) => Response | Promise<Response>
export type FetchInterceptor = { requests: RecordedRequest[]; restore(): void }

/** Routes are keyed `METHOD https://host/path` (query strings ignored). */
export function interceptFetch(routes: Record<string, FetchRoute>): FetchInterceptor {
  const original = globalThis.fetch
  const requests: RecordedRequest[] = []
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    const recorded: RecordedRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: await request.text(),
    }
    requests.push(recorded)
    const route = routes[`${recorded.method} ${recorded.url.origin}${recorded.url.pathname}`]
    if (!route) throw new TypeError(`interceptFetch: no route for ${recorded.method} ${recorded.url.href}`)
    return route(recorded)
  }
  globalThis.fetch = Object.assign(fake, { preconnect: original.preconnect }) as typeof fetch
  return {
    requests,
    restore() {
      globalThis.fetch = original
    },
  }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } })
}

/** `client_id:client_secret` from an HTTP Basic header, or null. */
export function basicCredentials(headers: Headers): { id: string; secret: string } | null {
  const m = /^Basic (.+)$/i.exec(headers.get('authorization') ?? '')
  if (!m) return null
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8')
  const i = decoded.indexOf(':')
  return i < 0 ? null : { id: decoded.slice(0, i), secret: decoded.slice(i + 1) }
}
