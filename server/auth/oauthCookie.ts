// The short-lived cookie that carries an OAuth sign-in from start to callback
// (provider, state, PKCE verifier, nonce, where to go after). It is signed
// (HMAC-SHA256 with a key derived from JWT_SECRET), so a browser-side change,
// e.g. a returnTo or verifier swapped in, is refused as a whole.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import type { ProviderId } from './oauth.ts'

export type SavedSignIn = { p: ProviderId; s: string; v: string | null; n: string | null; r: string }
export type OAuthCookieCodec = { encode(saved: SavedSignIn): string; decode(raw: string | null): SavedSignIn | null }

export function oauthCookieCodec(secret: string): OAuthCookieCodec {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'knowledgetree oauth cookie v1', 32))
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest()
  return {
    encode(saved) {
      const payload = Buffer.from(JSON.stringify(saved)).toString('base64url')
      return `${payload}.${mac(payload).toString('base64url')}`
    },
    decode(raw) {
      if (!raw) return null
      const [payload, signature, extra] = raw.split('.')
      if (!payload || !signature || extra !== undefined) return null
      const presented = Buffer.from(signature, 'base64url')
      const expected = mac(payload)
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return null
      try {
        const o = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
        if (typeof o.p !== 'string' || typeof o.s !== 'string' || typeof o.r !== 'string') return null
        return { p: o.p as ProviderId, s: o.s, v: typeof o.v === 'string' ? o.v : null, n: typeof o.n === 'string' ? o.n : null, r: o.r }
      } catch {
        return null
      }
    },
  }
}
