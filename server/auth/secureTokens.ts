// Opaque tokens (refresh tokens, email links): 256 random bits, base64url, and
// only their SHA-256 ever reaches the database.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
