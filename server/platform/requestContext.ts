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

/** The address of the peer that opened the connection (often a proxy). */
export function socketIp(request: Request): string | undefined {
  return socketIps.get(request)
}
