// Open Server-Sent Event streams end when their reader loses access: a session
// revoked (logout, "log out everywhere", a session signed out from settings, a
// password reset, refresh-token reuse), an API key revoked, or a member removed
// from (or leaving) a collection.
// Revocations are published with NOTIFY on `kt_revoked` (delivered when the
// revoking transaction commits) and every api instance closes the matching
// streams at once. Where a NOTIFY may not arrive (the embedded database passes
// none between connections; a LISTEN connection that dropped) each instance
// re-checks its open streams in one batched query per interval, which bounds
// how long a revoked reader keeps a stream: RECHECK_POLL_MS there.
import type { Db, Sql } from './db.ts'
import type { Logger } from './logger.ts'

export const REVOCATION_CHANNEL = 'kt_revoked'
export const RECHECK_POLL_MS = 2_000
export const RECHECK_LISTEN_MS = 15_000

/**
 * Whose stream it is: the session (or, for API-key callers, the key) reading it
 * and, for collection data, the collection.
 */
export type StreamOwner = { sessionId: string | null; apiKeyId?: string | null; userId: string; collectionId: string | null }
/**
 * What ended: these sessions; these API keys; every stream of a user (no
 * collectionId); or one user's access to one collection (for removed members).
 */
export type Revocation = { sessionIds: string[] } | { apiKeyIds: string[] } | { userId: string; collectionId?: string | null }
/** For each owner, whether it may still read (same order). */
export type OwnerCheck = (owners: StreamOwner[]) => Promise<boolean[]>
/**
 * Why a stream ended, as far as this instance knows: the reader's session or
 * key ended, or they lost the collection; a re-check only knows access is gone.
 */
export type RevokedReason = 'session' | 'collection' | 'access'

/** The reason a revocation gives the streams it closes. */
export function reasonOf(r: Revocation): RevokedReason {
  return 'userId' in r && r.collectionId ? 'collection' : 'session'
}

export type StreamAccess = {
  /** Calls `close` when the owner loses access; returns the function that stops watching. */
  watch(owner: StreamOwner, close: (reason: RevokedReason) => void): () => void
  /** Closes this instance's matching streams now (what a delivered NOTIFY does). */
  apply(revocation: Revocation): void
  /** One re-check of every watched stream (what the timer does). */
  recheck(): Promise<void>
  watched(): number
  shutdown(): Promise<void>
}

const localListeners = new Set<(r: Revocation) => void>()

/**
 * Hears this process's own revocations at once, before the NOTIFY comes back
 * (the session cache: a logout answered here must hold for the very next request).
 */
export function onLocalRevocation(listener: (r: Revocation) => void): () => void {
  localListeners.add(listener)
  return () => void localListeners.delete(listener)
}

/**
 * Announces a revocation to every api instance; inside a transaction it goes
 * out on commit. This process hears it at once (acting early on a revocation
 * that then rolls back only costs a database read).
 */
export async function publishRevocation(db: Db, revocation: Revocation): Promise<void> {
  for (const listener of localListeners) listener(revocation)
  await db`select pg_notify(${REVOCATION_CHANNEL}, ${JSON.stringify(revocation)})`
}

/** A `kt_revoked` payload, or null when it is not one. */
export function parseRevocation(payload: string): Revocation | null {
  try {
    const v = JSON.parse(payload) as Record<string, unknown>
    if (Array.isArray(v.sessionIds)) return { sessionIds: v.sessionIds.filter((s): s is string => typeof s === 'string') }
    if (Array.isArray(v.apiKeyIds)) return { apiKeyIds: v.apiKeyIds.filter((s): s is string => typeof s === 'string') }
    if (typeof v.userId === 'string') return { userId: v.userId, collectionId: typeof v.collectionId === 'string' ? v.collectionId : null }
  } catch {}
  return null
}

function matches(owner: StreamOwner, r: Revocation): boolean {
  if ('sessionIds' in r) return owner.sessionId !== null && r.sessionIds.includes(owner.sessionId)
  if ('apiKeyIds' in r) return !!owner.apiKeyId && r.apiKeyIds.includes(owner.apiKeyId)
  if (owner.userId !== r.userId) return false
  return !r.collectionId || owner.collectionId === r.collectionId
}

type Entry = { owner: StreamOwner; close: (reason: RevokedReason) => void }

export function createStreamAccess(
  sql: Sql,
  options: { mode: 'listen' | 'poll'; logger: Logger; check: OwnerCheck; recheckMs?: number },
): StreamAccess {
  const entries = new Set<Entry>()
  const end = (e: Entry, reason: RevokedReason) => {
    entries.delete(e)
    try {
      e.close(reason)
    } catch {}
  }
  const apply = (r: Revocation) => {
    for (const e of [...entries]) if (matches(e.owner, r)) end(e, reasonOf(r))
  }
  let checking: Promise<void> | null = null
  const recheck = () => {
    checking ??= (async () => {
      const list = [...entries]
      if (list.length === 0) return
      try {
        const allowed = await options.check(list.map((e) => e.owner))
        list.forEach((e, i) => allowed[i] === false && end(e, 'access'))
      } catch (err) {
        options.logger.warn('stream access re-check failed', { err })
      }
    })().finally(() => (checking = null))
    return checking
  }
  let listening: Promise<{ unlisten(): Promise<void> } | null> = Promise.resolve(null)
  if (options.mode === 'listen') {
    listening = sql
      .listen(REVOCATION_CHANNEL, (payload) => {
        const r = parseRevocation(payload)
        if (r) apply(r)
      })
      .catch((err) => {
        options.logger.error(`LISTEN ${REVOCATION_CHANNEL} failed; revoked streams end on the next re-check`, { err })
        return null
      })
  }
  const timer = setInterval(() => void recheck(), options.recheckMs ?? (options.mode === 'poll' ? RECHECK_POLL_MS : RECHECK_LISTEN_MS))
  return {
    watch(owner, close) {
      const e = { owner, close }
      entries.add(e)
      return () => void entries.delete(e)
    },
    apply,
    recheck,
    watched: () => entries.size,
    async shutdown() {
      clearInterval(timer)
      await (await listening)?.unlisten()
    },
  }
}
