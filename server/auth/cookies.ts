// Browser session cookies. `__Host-` pins them to our exact origin (Secure, no
// Domain, Path=/). Browsers treat http://localhost as secure, so the prefix
// holds in development too; only a plain-http non-local PUBLIC_URL (a LAN
// address in development) drops the prefix and the Secure flag.
import { SESSION_TTL_SECONDS } from './sessions.ts'

export type CookieNames = { access: string; refresh: string; oauth: string; secure: boolean }

export function cookieNames(publicUrl: string): CookieNames {
  const u = new URL(publicUrl)
  const secure = u.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)
  const prefix = secure ? '__Host-' : ''
  return { access: `${prefix}kt_access`, refresh: `${prefix}kt_refresh`, oauth: `${prefix}kt_oauth`, secure }
}

type CookieJar = Record<string, { set(options: Record<string, unknown>): unknown; remove(): unknown; value?: unknown }>

function base(names: CookieNames) {
  return { httpOnly: true, secure: names.secure, sameSite: 'lax' as const, path: '/' }
}

export function setSessionCookies(
  cookie: CookieJar,
  names: CookieNames,
  tokens: { accessToken: string; accessTtlSeconds: number; refreshToken: string; expiresAt: Date },
): void {
  cookie[names.access]!.set({ ...base(names), value: tokens.accessToken, maxAge: tokens.accessTtlSeconds })
  const refreshMaxAge = Math.max(0, Math.min(SESSION_TTL_SECONDS, Math.floor((tokens.expiresAt.getTime() - Date.now()) / 1000)))
  cookie[names.refresh]!.set({ ...base(names), value: tokens.refreshToken, maxAge: refreshMaxAge })
}

export function clearSessionCookies(cookie: CookieJar, names: CookieNames): void {
  for (const name of [names.access, names.refresh]) cookie[name]!.set({ ...base(names), value: '', maxAge: 0 })
}

export function setOAuthCookie(cookie: CookieJar, names: CookieNames, value: string): void {
  cookie[names.oauth]!.set({ ...base(names), value, maxAge: 600 })
}

export function clearOAuthCookie(cookie: CookieJar, names: CookieNames): void {
  cookie[names.oauth]!.set({ ...base(names), value: '', maxAge: 0 })
}

export function cookieValue(cookie: CookieJar, name: string): string | null {
  const v = cookie[name]?.value
  return typeof v === 'string' && v.length > 0 ? v : null
}
