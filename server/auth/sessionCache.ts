// Live sessions remembered per api process, so an authenticated request does
// not read its session row every time. Logout must still take effect at once
// on every instance: every way a session ends announces it on `kt_revoked`
// (server/auth/sql.ts revokeSession / revokeAllSessions), and each instance
// drops the matching entries when the NOTIFY arrives. The LISTEN connection
// may drop and miss notifications; when it is (re)established the whole cache
// is dropped. Where no NOTIFY is delivered at all (the embedded database), an
// entry lives at most POLL_TTL_MS, so a revoked session is refused within
// that bound; with LISTEN, LISTEN_TTL_MS bounds what a lost notification could
// cost. An entry never outlives its session's expiry.
//
// Revocations made by this process are applied at once (onLocalRevocation),
// so a logout holds for the next request here without waiting for the NOTIFY.
//
// The same pass records that the user was seen (users.last_seen_at, for the
// active-users gauge), at most once a minute per user and process.
import type { Sql } from '../platform/db.ts'
import type { Logger } from '../platform/logger.ts'
import { onLocalRevocation, parseRevocation, REVOCATION_CHANNEL, type Revocation } from '../platform/streamAccess.ts'
import { getActiveSession, markUserSeen } from './sql.ts'

export const POLL_TTL_MS = 1_000
export const LISTEN_TTL_MS = 60_000
const SEEN_EVERY_MS = 60_000
// Bounds memory under a flood of distinct tokens; past it the cache starts over.
const MAX_ENTRIES = 100_000

export type SessionCache = {
  /** Whether the session is live and belongs to the user (from memory when it may be). */
  isActive(sessionId: string, userId: string): Promise<boolean>
  /** Drops what a revocation ends (what a delivered NOTIFY does). */
  apply(revocation: Revocation): void
  /** Records a request by the user (API-key callers have no session to check). */
  seen(userId: string): void
  /** Revocations applied so far (tests wait on it instead of on time). */
  applied(): number
  size(): number
  shutdown(): Promise<void>
}

type Entry = { userId: string; validUntil: number }

export function createSessionCache(sql: Sql, options: { mode: 'listen' | 'poll'; logger: Logger; ttlMs?: number }): SessionCache {
  const ttlMs = options.ttlMs ?? (options.mode === 'poll' ? POLL_TTL_MS : LISTEN_TTL_MS)
  const entries = new Map<string, Entry>()
  const seenAt = new Map<string, number>()
  let appliedCount = 0

  const apply = (r: Revocation) => {
    appliedCount++
    if ('sessionIds' in r) for (const id of r.sessionIds) entries.delete(id)
    // A member removed from one collection keeps their sessions; a revoked API key is no session.
    else if ('userId' in r && !r.collectionId) for (const [id, e] of entries) if (e.userId === r.userId) entries.delete(id)
  }

  const markSeen = (userId: string, now: number) => {
    const last = seenAt.get(userId)
    if (last !== undefined && now - last < SEEN_EVERY_MS) return
    if (seenAt.size >= MAX_ENTRIES) seenAt.clear()
    seenAt.set(userId, now)
    // Off the request's path: a failed write only makes the gauge a minute late.
    markUserSeen(sql, userId).catch((err) => {
      seenAt.delete(userId)
      options.logger.warn('recording the user as seen failed', { err })
    })
  }

  const stopLocal = onLocalRevocation(apply)
  let listening: Promise<{ unlisten(): Promise<void> } | null> = Promise.resolve(null)
  if (options.mode === 'listen') {
    listening = sql
      .listen(
        REVOCATION_CHANNEL,
        (payload) => {
          const r = parseRevocation(payload)
          if (r) apply(r)
        },
        // Connected or reconnected: notifications sent while away are lost.
        () => entries.clear(),
      )
      .catch((err) => {
        options.logger.error(`LISTEN ${REVOCATION_CHANNEL} failed; sessions are read from the database on every request`, { err })
        return null
      })
  }
  // With LISTEN, nothing may be served from memory until it is established (or if it failed).
  let canCache = options.mode === 'poll'
  if (options.mode === 'listen') void listening.then((l) => (canCache = l !== null))

  return {
    async isActive(sessionId, userId) {
      const now = Date.now()
      const hit = entries.get(sessionId)
      if (hit && hit.userId === userId && hit.validUntil > now) {
        markSeen(userId, now)
        return true
      }
      // A revocation that arrives while the row is read may predate the read's
      // answer reaching us; then the answer must not be remembered.
      const before = appliedCount
      const row = await getActiveSession(sql, sessionId, userId)
      if (!row) {
        entries.delete(sessionId)
        return false
      }
      markSeen(userId, now)
      if (canCache && appliedCount === before) {
        if (entries.size >= MAX_ENTRIES) entries.clear()
        entries.set(sessionId, { userId, validUntil: Math.min(now + ttlMs, row.expiresAt.getTime()) })
      }
      return true
    },
    apply,
    seen: (userId) => markSeen(userId, Date.now()),
    applied: () => appliedCount,
    size: () => entries.size,
    async shutdown() {
      stopLocal()
      await (await listening)?.unlisten()
    },
  }
}
