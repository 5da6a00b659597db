// The browser's side of our OAuth routes: start (keep the oauth cookie, follow
// nothing) and come back to the callback with that cookie.
import { createHash } from 'node:crypto'
import { cookieNames } from '../../server/auth/cookies.ts'
import { oauthCookieCodec } from '../../server/auth/oauthCookie.ts'
import type { App } from '../../server/app.ts'
import type { Config } from '../../server/platform/config.ts'
import { responseCookies } from '../factories.ts'
import { request } from '../testApp.ts'

/** What the start route keeps in the oauth cookie: provider, state, verifier, nonce, returnTo. */
export type SavedSignIn = { p: string; s: string; v: string | null; n: string | null; r: string }
export type StartedSignIn = { status: number; location: URL; cookie: string; saved: SavedSignIn }

/** The PKCE S256 code challenge of a verifier. */
export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url')

export function decodeSavedSignIn(cookie: string): SavedSignIn {
  return JSON.parse(Buffer.from(cookie.split('.')[0]!, 'base64url').toString('utf8')) as SavedSignIn
}

/** A cookie with these contents, signed with the app's key (to reach checks behind the signature). */
export function encodeSavedSignIn(saved: SavedSignIn, config: Config): string {
  return oauthCookieCodec(config.JWT_SECRET!).encode(saved as never)
}

export async function startSignIn(app: App, config: Config, provider: string, returnTo?: string): Promise<StartedSignIn> {
  const query = returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`
  const res = await app.handle(request(`/api/auth/oauth/${provider}/start${query}`))
  const cookie = responseCookies(res)[cookieNames(config.PUBLIC_URL).oauth] ?? ''
  return {
    status: res.status,
    location: new URL(res.headers.get('location') ?? 'about:blank'),
    cookie,
    saved: cookie ? decodeSavedSignIn(cookie) : ({} as SavedSignIn),
  }
}

/** Calls our callback as the provider's redirect would, with the oauth cookie when given. */
export function callback(
  app: App,
  config: Config,
  provider: string,
  params: Record<string, string>,
  cookie: string | null,
): Promise<Response> {
  const headers: Record<string, string> = cookie === null ? {} : { cookie: `${cookieNames(config.PUBLIC_URL).oauth}=${cookie}` }
  return app.handle(request(`/api/auth/oauth/${provider}/callback?${new URLSearchParams(params)}`, { headers }))
}

/** Session cookies the response set (empty values, i.e. clearing, do not count). */
export function sessionCookies(res: Response, config: Config): { access: string | null; refresh: string | null } {
  const names = cookieNames(config.PUBLIC_URL)
  const set = responseCookies(res)
  return { access: set[names.access] || null, refresh: set[names.refresh] || null }
}

export function browserWith(config: Config, access: string): Record<string, string> {
  return { cookie: `${cookieNames(config.PUBLIC_URL).access}=${access}` }
}
