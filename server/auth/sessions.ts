// Sessions are refresh-token families. Each refresh rotates the token; a
// rotated token presented again within a short grace window gets the same
// successor back, and after it means the token leaked, so the whole family is
// revoked.
import { UnauthorizedError } from '../platform/errors.ts'
import type { Sql } from '../platform/db.ts'
import { hashToken, newOpaqueToken } from './secureTokens.ts'
import { openSuccessor, sealSuccessor } from './successorSeal.ts'
import * as q from './sql.ts'

export const SESSION_TTL_SECONDS = 7 * 24 * 3600
// Two tabs refreshing at the same moment both present the same token.
export const REFRESH_GRACE_SECONDS = 10

export type Client = { userAgent: string | null; ip: string | null }
export type IssuedSession = { sessionId: string; userId: string; refreshToken: string; expiresAt: Date }

export async function startSession(sql: Sql, userId: string, client: Client): Promise<IssuedSession> {
  return sql.begin(async (tx) => {
    const session = await q.insertSession(tx, {
      userId,
      expiresAt: new Date(Date.now() + SESSION_TTL_SECONDS * 1000),
      userAgent: client.userAgent,
      ip: client.ip,
    })
    const refreshToken = newOpaqueToken()
    await q.insertRefreshToken(tx, session.id, hashToken(refreshToken))
    return { sessionId: session.id, userId, refreshToken, expiresAt: session.expiresAt }
  })
}

const invalid = () => new UnauthorizedError('Your session has ended. Sign in again.', 'session_invalid')

export async function rotateRefreshToken(sql: Sql, refreshToken: string, client: Client): Promise<IssuedSession> {
  const tokenHash = hashToken(refreshToken)
  const outcome = await sql.begin(async (tx) => {
    const found = await q.lockRefreshToken(tx, tokenHash)
    if (!found || found.revokedAt || found.expiresAt <= found.now) return { ok: false as const }
    let next: string
    if (found.rotatedAt) {
      const withinGrace = found.now.getTime() - found.rotatedAt.getTime() <= REFRESH_GRACE_SECONDS * 1000
      // Inside the window the same successor again (two tabs, a retried request):
      // one chain per session, so a thief never gets a chain of its own.
      const successor = withinGrace && found.successorSealed ? openSuccessor(refreshToken, found.successorSealed) : null
      if (!successor) {
        if (!withinGrace) await q.revokeSession(tx, found.sessionId, 'refresh_token_reuse')
        return { ok: false as const }
      }
      next = successor
    } else {
      next = newOpaqueToken()
      await q.markRefreshTokenRotated(tx, tokenHash, sealSuccessor(refreshToken, next))
      await q.insertRefreshToken(tx, found.sessionId, hashToken(next))
    }
    await q.touchSession(tx, found.sessionId, client.userAgent, client.ip)
    return {
      ok: true as const,
      issued: { sessionId: found.sessionId, userId: found.userId, refreshToken: next, expiresAt: found.expiresAt },
    }
  })
  if (!outcome.ok) throw invalid()
  return outcome.issued
}

/** The session a refresh token belongs to, if any (for logout). */
export async function sessionOfRefreshToken(sql: Sql, refreshToken: string): Promise<{ sessionId: string; userId: string } | null> {
  return (await q.getSessionOfRefreshToken(sql, hashToken(refreshToken))) ?? null
}
