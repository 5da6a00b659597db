// Queries of the auth capability. Every function takes a pool or a transaction.
import { columnsOf, type Db } from '../platform/db.ts'
import { publishRevocation } from '../platform/streamAccess.ts'

export type UserRow = {
  id: string
  email: string
  displayName: string
  passwordHash: string | null
  emailVerifiedAt: Date | null
  createdAt: Date
}
export type SessionRow = {
  id: string
  userId: string
  createdAt: Date
  expiresAt: Date
  lastUsedAt: Date
  userAgent: string | null
  ip: string | null
  revokedAt: Date | null
}

const USER_COLUMNS = columnsOf<UserRow>()(['id', 'email', 'displayName', 'passwordHash', 'emailVerifiedAt', 'createdAt'])

export async function getUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db<UserRow[]>`select ${db(USER_COLUMNS)} from users where email = ${email}`
  return row
}

export async function getUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db<UserRow[]>`select ${db(USER_COLUMNS)} from users where id = ${id}`
  return row
}

/** Inserts a user; undefined when the email is taken. */
export async function insertUser(
  db: Db,
  user: { email: string; displayName: string; passwordHash: string | null; emailVerified: boolean },
): Promise<UserRow | undefined> {
  const [row] = await db<UserRow[]>`
    insert into users (email, display_name, password_hash, email_verified_at)
    values (${user.email}, ${user.displayName}, ${user.passwordHash}, ${user.emailVerified ? db`now()` : null})
    on conflict (email) do nothing
    returning ${db(USER_COLUMNS)}`
  return row
}

export async function setPasswordHash(db: Db, userId: string, passwordHash: string | null): Promise<void> {
  await db`update users set password_hash = ${passwordHash}, updated_at = now() where id = ${userId}`
}

export async function setDisplayName(db: Db, userId: string, displayName: string): Promise<void> {
  await db`update users set display_name = ${displayName}, updated_at = now() where id = ${userId}`
}

/** Removes the user; every row that is theirs goes with it (foreign keys cascade; rows they only touched keep a null author). */
export async function deleteUser(db: Db, userId: string): Promise<void> {
  await db`delete from users where id = ${userId}`
}

/** Whether the link of this token, already used or not, confirmed the user's current address. */
export async function verifiedByToken(db: Db, tokenHash: Buffer): Promise<boolean> {
  const [row] = await db<{ ok: boolean }[]>`
    select true as ok from email_tokens t join users u on u.id = t.user_id
    where t.token_hash = ${tokenHash} and t.purpose = 'verify_email' and u.email = t.email and u.email_verified_at is not null`
  return Boolean(row)
}

export async function markEmailVerified(db: Db, userId: string): Promise<void> {
  await db`update users set email_verified_at = coalesce(email_verified_at, now()), updated_at = now() where id = ${userId}`
}

export async function insertSession(
  db: Db,
  s: { userId: string; expiresAt: Date; userAgent: string | null; ip: string | null },
): Promise<SessionRow> {
  const [row] = await db<SessionRow[]>`
    insert into sessions (user_id, expires_at, user_agent, ip)
    values (${s.userId}, ${s.expiresAt}, ${s.userAgent}, ${s.ip})
    returning id, user_id, created_at, expires_at, last_used_at, user_agent, ip, revoked_at`
  return row!
}

export async function insertRefreshToken(db: Db, sessionId: string, tokenHash: Buffer): Promise<void> {
  await db`insert into refresh_tokens (token_hash, session_id) values (${tokenHash}, ${sessionId})`
}

export type RefreshLookup = {
  sessionId: string
  userId: string
  rotatedAt: Date | null
  successorSealed: Buffer | null
  expiresAt: Date
  revokedAt: Date | null
  now: Date
}

export async function getSessionOfRefreshToken(db: Db, tokenHash: Buffer): Promise<{ sessionId: string; userId: string } | undefined> {
  const [row] = await db<{ sessionId: string; userId: string }[]>`
    select s.id as session_id, s.user_id from refresh_tokens t join sessions s on s.id = t.session_id where t.token_hash = ${tokenHash}`
  return row
}

/** Locks the token row so two refreshes of one token are decided one at a time. */
export async function lockRefreshToken(db: Db, tokenHash: Buffer): Promise<RefreshLookup | undefined> {
  const [row] = await db<RefreshLookup[]>`
    select s.id as session_id, s.user_id, t.rotated_at, t.successor_sealed, s.expires_at, s.revoked_at, now() as now
    from refresh_tokens t join sessions s on s.id = t.session_id
    where t.token_hash = ${tokenHash}
    for update of t, s`
  return row
}

/** Marks the token rotated and keeps its successor, sealed with a key only the token's holder can derive. */
export async function markRefreshTokenRotated(db: Db, tokenHash: Buffer, successorSealed: Buffer): Promise<void> {
  await db`update refresh_tokens set rotated_at = now(), successor_sealed = ${successorSealed} where token_hash = ${tokenHash} and rotated_at is null`
}

export async function touchSession(db: Db, sessionId: string, userAgent: string | null, ip: string | null): Promise<void> {
  await db`update sessions set last_used_at = now(), user_agent = coalesce(${userAgent}, user_agent), ip = coalesce(${ip}, ip) where id = ${sessionId}`
}

// Every way a session ends goes through these two, and each announces it, so
// open streams of the session close (and a later per-process session cache
// can drop it) on every api instance.
export async function revokeSession(db: Db, sessionId: string, reason: string, userId?: string): Promise<number> {
  const rows = userId
    ? await db<
        { id: string }[]
      >`update sessions set revoked_at = now(), revoked_reason = ${reason} where id = ${sessionId} and user_id = ${userId} and revoked_at is null returning id`
    : await db<
        { id: string }[]
      >`update sessions set revoked_at = now(), revoked_reason = ${reason} where id = ${sessionId} and revoked_at is null returning id`
  if (rows.length) await publishRevocation(db, { sessionIds: rows.map((r) => r.id) })
  return rows.length
}

/** Ends every session of the user but `keepSessionId` (a password change keeps the session that made it). */
export async function revokeOtherSessions(db: Db, userId: string, keepSessionId: string | null, reason: string): Promise<number> {
  const rows = await db<{ id: string }[]>`
    update sessions set revoked_at = now(), revoked_reason = ${reason}
    where user_id = ${userId} and revoked_at is null and id is distinct from ${keepSessionId} returning id`
  if (rows.length) await publishRevocation(db, { sessionIds: rows.map((r) => r.id) })
  return rows.length
}

export async function revokeAllSessions(db: Db, userId: string, reason: string): Promise<number> {
  const r = await db`update sessions set revoked_at = now(), revoked_reason = ${reason} where user_id = ${userId} and revoked_at is null`
  if (r.count) await publishRevocation(db, { userId })
  return r.count
}

/** Of these sessions, the ones still live. */
export async function liveSessionIds(db: Db, sessionIds: string[]): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set()
  const rows = await db<
    { id: string }[]
  >`select id from sessions where id in ${db(sessionIds)} and revoked_at is null and expires_at > now()`
  return new Set(rows.map((r) => r.id))
}

export async function getActiveSession(db: Db, sessionId: string, userId: string): Promise<{ id: string; expiresAt: Date } | undefined> {
  const [row] = await db<{ id: string; expiresAt: Date }[]>`
    select id, expires_at from sessions where id = ${sessionId} and user_id = ${userId} and revoked_at is null and expires_at > now()`
  return row
}

/** Marks that the user made a request (the active-users gauge reads it). */
export async function markUserSeen(db: Db, userId: string): Promise<void> {
  await db`update users set last_seen_at = now() where id = ${userId}`
}

/** Distinct users with a request in the last 5 and 60 minutes (fleet-wide). */
export async function countActiveUsers(db: Db): Promise<{ last5m: number; last1h: number }> {
  const [row] = await db<{ last5m: number; last1h: number }[]>`
    select count(*) filter (where last_seen_at > now() - interval '5 minutes')::int as last5m, count(*)::int as last1h
    from users where last_seen_at > now() - interval '60 minutes'`
  return row!
}

export async function listActiveSessions(db: Db, userId: string): Promise<SessionRow[]> {
  return db<SessionRow[]>`
    select id, user_id, created_at, expires_at, last_used_at, user_agent, ip, revoked_at
    from sessions where user_id = ${userId} and revoked_at is null and expires_at > now()
    order by last_used_at desc`
}

export async function insertEmailToken(
  db: Db,
  t: { tokenHash: Buffer; userId: string; purpose: 'verify_email' | 'reset_password'; email: string; ttlSeconds: number },
): Promise<void> {
  await db`
    insert into email_tokens (token_hash, user_id, purpose, email, expires_at)
    values (${t.tokenHash}, ${t.userId}, ${t.purpose}, ${t.email}, now() + make_interval(secs => ${t.ttlSeconds}))`
}

/** Marks the token used and returns its user, only if it was unused and unexpired. */
export async function consumeEmailToken(
  db: Db,
  tokenHash: Buffer,
  purpose: 'verify_email' | 'reset_password',
): Promise<{ userId: string; email: string } | undefined> {
  const [row] = await db<{ userId: string; email: string }[]>`
    update email_tokens set used_at = now()
    where token_hash = ${tokenHash} and purpose = ${purpose} and used_at is null and expires_at > now()
    returning user_id, email`
  return row
}

export async function getOAuthAccount(db: Db, provider: string, subject: string): Promise<{ userId: string } | undefined> {
  const [row] = await db<{ userId: string }[]>`select user_id from oauth_accounts where provider = ${provider} and subject = ${subject}`
  return row
}

export async function insertOAuthAccount(
  db: Db,
  a: { provider: string; subject: string; userId: string; email: string | null },
): Promise<void> {
  await db`
    insert into oauth_accounts (provider, subject, user_id, email) values (${a.provider}, ${a.subject}, ${a.userId}, ${a.email})
    on conflict (provider, subject) do update set last_login_at = now(), email = excluded.email`
}

export async function touchOAuthAccount(db: Db, provider: string, subject: string): Promise<void> {
  await db`update oauth_accounts set last_login_at = now() where provider = ${provider} and subject = ${subject}`
}

export async function deleteExpiredAuthRows(db: Db): Promise<{ emailTokens: number; sessions: number; rateLimits: number }> {
  const e = await db`delete from email_tokens where expires_at < now() - interval '1 day'`
  const s = await db`delete from sessions where expires_at < now() - interval '1 day' or revoked_at < now() - interval '30 days'`
  const r = await db`delete from rate_limits where last_hit_at < now() - interval '1 day'`
  return { emailTokens: e.count, sessions: s.count, rateLimits: r.count }
}
