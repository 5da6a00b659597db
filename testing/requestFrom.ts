// An HTTP request from a chosen loopback source address (127.0.0.2, …), so a
// test can be several clients on one machine: Linux routes all of 127/8 to lo.
import { request as httpRequest } from 'node:http'

export type PlainResponse = { status: number; text: string }

export function requestFrom(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; json?: unknown } = {},
): Promise<PlainResponse> {
  const u = new URL(url)
  const body = init.json === undefined ? undefined : JSON.stringify(init.json)
  const headers = {
    ...init.headers,
    ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }),
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: init.method ?? 'GET', headers, localAddress },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}
