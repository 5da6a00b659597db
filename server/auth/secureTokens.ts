// Opaque tokens (refresh tokens, email links): 256 random bits, base64url, and
// only their SHA-256 ever reaches the database.
import { createHash, randomBytes } from 'node:crypto'

export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}
