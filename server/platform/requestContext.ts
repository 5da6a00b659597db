// Per-request bookkeeping (id, start time) kept beside the Request object so
// that hooks which do not share a context (onRequest, onError, onAfterResponse)
// all see it.

export type RequestMeta = { id: string; startedAt: number; errorStatus?: number; socketIp?: string }

const metas = new WeakMap<Request, RequestMeta>()
const INCOMING_ID = /^[A-Za-z0-9._:-]{6,64}$/

export function beginRequest(request: Request): RequestMeta {
  const incoming = request.headers.get('x-request-id')
  const meta = { id: incoming && INCOMING_ID.test(incoming) ? incoming : crypto.randomUUID(), startedAt: performance.now() }
  metas.set(request, meta)
  return meta
}

export function requestMeta(request: Request): RequestMeta {
  return metas.get(request) ?? beginRequest(request)
}

// The socket address is known only to the Bun server that accepted the
// connection; it records it here before the app sees the request.
const socketIps = new WeakMap<Request, string>()
export function rememberSocketIp(request: Request, ip: string | undefined): void {
  if (ip) socketIps.set(request, ip)
}

/** The client's IP: the last X-Forwarded-For hop behind a trusted proxy, else the socket's. */
export function clientIp(request: Request, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = (request.headers.get('x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter(Boolean)
    const last = hops.at(-1) ?? request.headers.get('x-real-ip')
    if (last && last.length <= 64) return last
  }
  return socketIps.get(request) ?? 'unknown'
}
