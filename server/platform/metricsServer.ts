// A separate /metrics listener (a worker's WORKER_METRICS_PORT, the api's
// METRICS_PORT): nothing else is served there, so it can sit on an internal
// interface that a public proxy never forwards to. The worker supervisor's
// also answers `GET /targets`: its workers' metrics ports in Prometheus's HTTP
// service discovery format, so Prometheus scrapes exactly the workers that run
// (docs/OBSERVABILITY.md, "Workers under the supervisor").
import { safeEqual } from './safeEqual.ts'
import type { Telemetry } from './telemetry.ts'

export type MetricsServer = { url: string; port: number; stop(): Promise<void> }

export type MetricsServerOptions = {
  telemetry: Telemetry
  host: string
  port: number
  token: string | null
  /** Ports on this host to list at `/targets` (the supervisor's workers); unset: no `/targets`. */
  targets?: () => number[]
}

export function startMetricsServer(options: MetricsServerOptions): MetricsServer {
  const { telemetry, token, targets } = options
  const server = Bun.serve({
    hostname: options.host,
    port: options.port,
    async fetch(request) {
      const url = new URL(request.url)
      const served = url.pathname === '/metrics' || (targets !== undefined && url.pathname === '/targets')
      if (!served || request.method !== 'GET') return new Response('Not found\n', { status: 404 })
      if (token) {
        const presented = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1]
        if (!presented || !safeEqual(presented, token))
          return new Response('Send the metrics token as a Bearer token.\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } })
      }
      if (url.pathname === '/targets') return Response.json(discoveredTargets(url.hostname, targets!()), { headers: NO_STORE })
      return new Response(await telemetry.scrape(), {
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' },
      })
    },
  })
  return { url: `http://${options.host}:${server.port}`, port: server.port!, stop: () => server.stop(true) }
}

const NO_STORE = { 'cache-control': 'no-store' }

/**
 * One HTTP SD target group. The workers listen on the interface the supervisor
 * does (METRICS_HOST), so they are reached at the host name Prometheus used to
 * reach it: the request's Host.
 */
function discoveredTargets(hostname: string, ports: number[]) {
  return [{ targets: ports.map((port) => `${hostname}:${port}`), labels: {} }]
}
