// What the emulator remembers about each request, for tests to assert on.
// Credentials are never kept: `x-api-key` and `authorization` are replaced by a
// short SHA-256 fingerprint, so a test can still tell which key was used.
// (SDK 1.x sends the key as `Authorization: Bearer <key>`; older clients and
// curl examples use `x-api-key`. The API accepts both, so the emulator does.)

export type RecordedRequest = {
  /** Position in `requests`, also the index passed to `respond`. */
  index: number
  method: string
  path: string
  /** Lowercased names; `x-api-key` holds `sha256:<fingerprint>`, `authorization` `Bearer sha256:<fingerprint>`. */
  headers: Record<string, string>
  /** Fingerprint of the key sent (see `fingerprintApiKey`), or null when none was sent. */
  apiKey: string | null
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown
  requestId: string
  /** HTTP status of the response (200 for a stream that later sent an `error` event). */
  status: number
  stream: boolean
  /** Text deltas actually sent (streaming only). */
  deltasSent: number
  /** The whole response was sent. */
  completed: boolean
  /** The client closed the connection before the response was complete. */
  aborted: boolean
}

export function fingerprintApiKey(key: string): string {
  return `sha256:${new Bun.CryptoHasher('sha256').update(key).digest('hex').slice(0, 16)}`
}

export function recordRequest(req: Request, index: number, requestId: string): RecordedRequest {
  const headers: Record<string, string> = {}
  // Headers iterate with lowercased names.
  for (const [name, value] of req.headers) headers[name] = value
  const bearer = bearerToken(req.headers)
  if (headers['x-api-key'] !== undefined) headers['x-api-key'] = fingerprintApiKey(headers['x-api-key'])
  if (headers.authorization !== undefined) {
    headers.authorization = bearer === null ? '[redacted]' : `Bearer ${fingerprintApiKey(bearer)}`
  }
  const apiKey = apiKeyOf(req.headers)
  return {
    index,
    method: req.method,
    path: new URL(req.url).pathname,
    headers,
    apiKey: apiKey === null ? null : fingerprintApiKey(apiKey),
    body: undefined,
    requestId,
    status: 0,
    stream: false,
    deltasSent: 0,
    completed: false,
    aborted: false,
  }
}

/** The key a request authenticates with: `x-api-key`, else an `Authorization: Bearer` token. */
export function apiKeyOf(headers: Headers): string | null {
  return headers.get('x-api-key') || bearerToken(headers)
}

function bearerToken(headers: Headers): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get('authorization') ?? '')
  return match ? match[1]! : null
}
