// GET /metrics on the api's own port: Prometheus text. Public to the router
// (no user session), but guarded: with METRICS_TOKEN, only a caller presenting
// it; without one, only the same host — and in production never, because a
// proxy on the same host (nginx) makes every visitor's request come from
// 127.0.0.1. With METRICS_PORT the metrics live on their own listener and this
// path does not exist.
import { Elysia } from 'elysia'
import type { ClientAddress } from './clientAddress.ts'
import { ForbiddenError, NotFoundError, UnauthorizedError } from './errors.ts'
import { safeEqual } from './safeEqual.ts'
import type { Telemetry } from './telemetry.ts'

// The client as resolved through TRUSTED_PROXIES: a request forwarded by a
// local proxy on behalf of someone outside is not local.
const LOOPBACK = new Set(['127.0.0.1', '::1'])

export type MetricsAccess = { token: string | null; production: boolean; separatePort: boolean }

export function metricsRoute(deps: { telemetry: Telemetry; clientIp: ClientAddress } & MetricsAccess) {
  return new Elysia({ name: 'metrics' }).get(
    '/metrics',
    async ({ request, set }) => {
      if (deps.separatePort) throw new NotFoundError('Route')
      if (deps.token) {
        const presented = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1]
        if (!presented || !safeEqual(presented, deps.token))
          throw new UnauthorizedError('Send the metrics token as a Bearer token.', 'metrics_token_required')
      } else if (deps.production) {
        throw new ForbiddenError(
          'In production /metrics needs METRICS_TOKEN, or METRICS_PORT for a separate listener.',
          'metrics_forbidden',
        )
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
