// Access tokens: short-lived HS256 JWTs signed through @elysiajs/jwt, with
// issuer, audience and type pinned and checked on every verification.
import { jwt } from '@elysiajs/jwt'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { Config } from '../platform/config.ts'

/** The default lifetime of an access token (ACCESS_TOKEN_TTL_SECONDS). */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60
export const ACCESS_TOKEN_AUDIENCE = 'knowledgetree-api'
export const ACCESS_TOKEN_TYPE = 'at+jwt' // RFC 9068

export type AccessClaims = { sub: string; sid: string }
const MAX_VERIFIED = 50_000
export type AccessTokenSigner = {
  /** How long a signed token lives. */
  ttlSeconds: number
  sign(claims: AccessClaims): Promise<string>
  verify(token: string): Promise<AccessClaims | null>
}

/** JWT_SECRET, or outside production a random key kept in the data dir. */
export function resolveJwtSecret(config: Pick<Config, 'JWT_SECRET' | 'DATA_DIR' | 'NODE_ENV'>): string {
  if (config.JWT_SECRET) return config.JWT_SECRET
  if (config.NODE_ENV === 'production') throw new Error('JWT_SECRET is required in production')
  const dir = resolve(config.DATA_DIR)
  const file = join(dir, 'jwt-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dir, { recursive: true })
  const secret = randomBytes(48).toString('base64url')
  writeFileSync(file, secret + '\n', { mode: 0o600 })
  return secret
}

export function createAccessTokens(secret: string, issuer: string, ttlSeconds: number = ACCESS_TOKEN_TTL_SECONDS): AccessTokenSigner {
  const plugin = jwt({
    name: 'accessJwt',
    secret,
    alg: 'HS256',
    typ: ACCESS_TOKEN_TYPE,
    iss: issuer,
    aud: ACCESS_TOKEN_AUDIENCE,
    exp: `${ttlSeconds}s`,
  })
  const signer = plugin.decorator.accessJwt
  // Verifying a token (jose, HMAC through WebCrypto) was the largest cost of an
  // authenticated read (~40–160 µs; benchmarks/api). A token that verified is
  // remembered until its `exp`: only that exact string is found again, so a
  // changed byte still goes through the full check. Whether its session is
  // still live is asked on every request all the same (sessionCache.ts).
  const verified = new Map<string, { claims: AccessClaims; expiresAtMs: number }>()
  return {
    ttlSeconds,
    sign: (claims) => signer.sign({ sub: claims.sub, sid: claims.sid }),
    async verify(token) {
      const known = verified.get(token)
      if (known) {
        if (Date.now() < known.expiresAtMs) return known.claims
        verified.delete(token)
      }
      const payload = await signer.verify(token, {
        algorithms: ['HS256'],
        issuer,
        audience: ACCESS_TOKEN_AUDIENCE,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['exp', 'iat', 'sub', 'sid'],
      })
      if (!payload || typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') return null
      const claims = { sub: payload.sub, sid: payload.sid }
      // Bounded: under a flood of distinct tokens the cache starts over.
      if (verified.size >= MAX_VERIFIED) verified.clear()
      verified.set(token, { claims, expiresAtMs: payload.exp * 1000 })
      return claims
    },
  }
}
