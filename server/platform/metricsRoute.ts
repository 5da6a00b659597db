// GET /metrics: Prometheus text. Public to the router (no user session), but
// guarded by METRICS_TOKEN, or reachable only from the same host without one.
import { Elysia } from 'elysia'
import { ForbiddenError, UnauthorizedError } from './errors.ts'
import type { ClientAddress } from './clientAddress.ts'
import { safeEqual } from './safeEqual.ts'
import type { Telemetry } from './telemetry.ts'

// The client as resolved through TRUSTED_PROXIES: a request forwarded by a
// local proxy on behalf of someone outside is not local.
const LOOPBACK = new Set(['127.0.0.1', '::1'])

export function metricsRoute(deps: { telemetry: Telemetry; token: string | null; clientIp: ClientAddress }) {
  return new Elysia({ name: 'metrics' }).get(
    '/metrics',
    async ({ request, set }) => {
      if (deps.token) {
        const presented = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1]
        if (!presented || !safeEqual(presented, deps.token)) throw new UnauthorizedError('Send the metrics token as a Bearer token.', 'metrics_token_required')
      } else if (!LOOPBACK.has(deps.clientIp(request))) {
        throw new ForbiddenError('/metrics answers only this host unless METRICS_TOKEN is set.', 'metrics_forbidden')
      }
      set.headers['content-type'] = 'text/plain; version=0.0.4; charset=utf-8'
      set.headers['cache-control'] = 'no-store'
      return deps.telemetry.scrape()
    },
    { detail: { summary: 'Prometheus metrics', tags: ['health'] } },
  )
}
