// Deny by default: every route needs a valid access token unless it is on the
// public list below. Runs before body validation, so an anonymous caller gets
// 401 rather than a hint about the expected body. State-changing requests that
// a browser could forge (no Authorization header) must come from our origin.
import { Elysia } from 'elysia'
import type { Sql } from '../platform/db.ts'
import type { StreamOwner } from '../platform/streamAccess.ts'
import { ForbiddenError, UnauthorizedError } from '../platform/errors.ts'
import type { AccessTokenSigner } from './accessTokens.ts'
import { cookieValue, type CookieNames } from './cookies.ts'
import { authenticateApiKey, isApiKey } from '../apiKeys/service.ts'
import type { SessionCache } from './sessionCache.ts'

export const PUBLIC_ROUTES = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /api/openapi.json',
  'GET /api/docs',
  'GET /api/docs/assets/:file',
  'GET /api/capabilities',
  'GET /api/auth/providers',
  'POST /api/auth/signup',
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  'POST /api/auth/logout',
  'POST /api/auth/verify-email',
  'POST /api/auth/password-reset',
  'POST /api/auth/password-reset/confirm',
  'GET /api/auth/oauth/:provider/start',
  'GET /api/auth/oauth/:provider/callback',
  'GET /api/join/:token',
  'GET /api/billing/plans',
  'POST /api/billing/contact',
  'POST /api/billing/webhook',
])

/** Who is calling: a session (bearer access token or cookie), or a personal API key with its scope. */
export type Auth = {
  userId: string
  sessionId: string | null
  via: 'bearer' | 'cookie' | 'apiKey'
  apiKey: { id: string; scope: 'read' | 'write' } | null
}

/** Who reads a stream, for ending it when that access is revoked (platform/streamAccess.ts). */
export function streamOwner(auth: Auth, collectionId: string | null): StreamOwner {
  return { sessionId: auth.sessionId, apiKeyId: auth.apiKey?.id ?? null, userId: auth.userId, collectionId }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function isPublicRoute(method: string, route: string): boolean {
  return PUBLIC_ROUTES.has(`${method} ${route}`) || (method === 'HEAD' && PUBLIC_ROUTES.has(`GET ${route}`))
}

function sameOrigin(value: string, allowed: string): boolean {
  try {
    return new URL(value).origin === allowed
  } catch {
    return false
  }
}

/** Cross-site request forgery: cookies ride along on forged requests, bearer tokens do not. */
export function checkOrigin(request: Request, allowedOrigin: string, hasSessionCookie: boolean): void {
  if (SAFE_METHODS.has(request.method) || request.headers.has('authorization')) return
  const origin = request.headers.get('origin')
  if (origin !== null && origin !== 'null') {
    if (origin !== allowedOrigin) throw new ForbiddenError('This request came from another site.', 'csrf_origin_mismatch')
    return
  }
  const fetchSite = request.headers.get('sec-fetch-site')
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none')
    throw new ForbiddenError('This request came from another site.', 'csrf_origin_mismatch')
  const referer = request.headers.get('referer')
  if (referer) {
    if (!sameOrigin(referer, allowedOrigin)) throw new ForbiddenError('This request came from another site.', 'csrf_origin_mismatch')
    return
  }
  if (hasSessionCookie) throw new ForbiddenError('A cookie-authenticated request must carry an Origin header.', 'csrf_origin_missing')
}

export type GuardDeps = {
  sql: Sql
  sessions: SessionCache
  tokens: AccessTokenSigner
  cookies: CookieNames
  publicUrl: string
  apiKeyRequestsPerMinute: number
}

export async function authenticate(deps: GuardDeps, request: Request, cookie: Record<string, { value?: unknown }>): Promise<Auth> {
  const header = request.headers.get('authorization')
  let token: string | null
  let via: Auth['via']
  if (header !== null) {
    const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header)
    if (!m) throw new UnauthorizedError('Use `Authorization: Bearer <access token>`.', 'invalid_authorization_header')
    token = m[1]!
    via = 'bearer'
  } else {
    token = cookieValue(cookie as never, deps.cookies.access)
    via = 'cookie'
  }
  if (!token) throw new UnauthorizedError()
  if (via === 'bearer' && isApiKey(token)) {
    const key = await authenticateApiKey(deps.sql, token, deps.apiKeyRequestsPerMinute)
    deps.sessions.seen(key.userId)
    return { userId: key.userId, sessionId: null, via: 'apiKey', apiKey: { id: key.keyId, scope: key.scope } }
  }
  const claims = await deps.tokens.verify(token)
  if (!claims) throw new UnauthorizedError('Your access token is invalid or expired. Refresh it or sign in again.', 'token_invalid')
  // Logout and password resets take effect at once on every instance (sessionCache.ts).
  if (!(await deps.sessions.isActive(claims.sid, claims.sub)))
    throw new UnauthorizedError('Your session has ended. Sign in again.', 'session_invalid')
  return { userId: claims.sub, sessionId: claims.sid, via, apiKey: null }
}

export function authGuard(deps: GuardDeps) {
  const allowedOrigin = new URL(deps.publicUrl).origin
  return new Elysia({ name: 'auth-guard' }).derive({ as: 'global' }, async ({ request, route, cookie }) => {
    const hasSessionCookie = Boolean(
      cookieValue(cookie as never, deps.cookies.access) || cookieValue(cookie as never, deps.cookies.refresh),
    )
    checkOrigin(request, allowedOrigin, hasSessionCookie)
    // Public routes never see `auth`; the cast keeps protected handlers free of null checks.
    if (isPublicRoute(request.method, route)) return { auth: null as unknown as Auth }
    return { auth: await authenticate(deps, request, cookie) }
  })
}

/**
 * Types only: gives a capability's handlers `auth` in their context. The value
 * is set by the global guard above, which runs first; this derive adds nothing.
 */
export const authContext = new Elysia({ name: 'auth-context' }).derive({ as: 'scoped' }, () => ({}) as { auth: Auth })
