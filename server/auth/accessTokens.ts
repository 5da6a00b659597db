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
  return {
    ttlSeconds,
    sign: (claims) => signer.sign({ sub: claims.sub, sid: claims.sid }),
    async verify(token) {
      const payload = await signer.verify(token, {
        algorithms: ['HS256'],
        issuer,
        audience: ACCESS_TOKEN_AUDIENCE,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['exp', 'iat', 'sub', 'sid'],
      })
      if (!payload || typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null
      return { sub: payload.sub, sid: payload.sid }
    },
  }
}
