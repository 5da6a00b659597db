// A separate /metrics listener (a worker's WORKER_METRICS_PORT, the api's
// METRICS_PORT): nothing else is served there, so it can sit on an internal
// interface that a public proxy never forwards to.
import { safeEqual } from './safeEqual.ts'
import type { Telemetry } from './telemetry.ts'

export type MetricsServer = { url: string; port: number; stop(): Promise<void> }

export function startMetricsServer(options: { telemetry: Telemetry; host: string; port: number; token: string | null }): MetricsServer {
  const { telemetry, token } = options
  const server = Bun.serve({
    hostname: options.host,
    port: options.port,
    async fetch(request) {
      if (new URL(request.url).pathname !== '/metrics' || request.method !== 'GET') return new Response('Not found\n', { status: 404 })
      if (token) {
        const presented = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1]
        if (!presented || !safeEqual(presented, token))
          return new Response('Send the metrics token as a Bearer token.\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } })
      }
      return new Response(await telemetry.scrape(), {
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' },
      })
    },
  })
  return { url: `http://${options.host}:${server.port}`, port: server.port!, stop: () => server.stop(true) }
}
