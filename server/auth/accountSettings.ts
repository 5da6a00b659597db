// What the signed-in person changes about their own account: the name shown to
// others, the password (ending their other sessions), and the account itself,
// deleted with everything it owns in one transaction.
import { revokeAllApiKeys } from '../apiKeys/service.ts'
import { hasRenewingSubscription } from '../billing/service.ts'
import { collectionsOf, deleteOwnedCollections } from '../collections/service.ts'
import type { Db, Sql } from '../platform/db.ts'
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../platform/errors.ts'
import type { UploadMeter } from '../platform/quotaGate.ts'
import { assertUnderLimits, clearLimit, recordHits, type Limit } from '../platform/rateLimits.ts'
import type { DeletionSummary, UserView } from './model.ts'
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts'
import * as q from './sql.ts'
import { userView } from './views.ts'

// A stolen session must not become a way to guess the password.
const passwordCheckLimits = (userId: string): Limit[] => [{ key: `password-check:${userId}`, max: 5, windowSeconds: 15 * 60 }]

async function userOf(db: Db, userId: string): Promise<q.UserRow> {
  const user = await q.getUserById(db, userId)
  if (!user) throw new NotFoundError('User')
  return user
}

/** Accounts with a password prove it again; accounts signed in only through a provider type their address. */
async function confirmIdentity(sql: Sql, user: q.UserRow, proof: { password?: string; email?: string }): Promise<void> {
  if (!user.passwordHash) {
    if (proof.email?.trim().toLowerCase() !== user.email)
      throw new UnprocessableError('confirmation_mismatch', 'Type your email address to confirm.', { field: 'email' })
    return
  }
  if (!proof.password)
    throw new UnprocessableError('confirmation_required', 'Enter your current password to confirm.', { field: 'password' })
  const limits = passwordCheckLimits(user.id)
  await assertUnderLimits(sql, limits, 'Too many wrong passwords. Wait a few minutes and try again.')
  if (!(await verifyPassword(proof.password, user.passwordHash))) {
    await recordHits(sql, limits)
    throw new ForbiddenError('The current password is wrong.', 'password_wrong')
  }
  await clearLimit(sql, limits[0]!.key)
}

export async function changeDisplayName(sql: Sql, userId: string, raw: string): Promise<UserView> {
  const displayName = raw.replace(/\s+/g, ' ').trim()
  if (!displayName) throw new UnprocessableError('display_name_invalid', 'Enter a name.', { field: 'displayName' })
  await q.setDisplayName(sql, userId, displayName)
  return userView(await userOf(sql, userId))
}

/**
 * Sets a new password (the current one is asked for when there is one) and ends
 * every other session of the account; the session that changed it stays.
 * API keys stay too: they are listed on their own page, where they can be revoked.
 */
export async function changePassword(
  sql: Sql,
  userId: string,
  currentSessionId: string | null,
  input: { currentPassword?: string; newPassword: string },
): Promise<{ endedSessions: number }> {
  const user = await userOf(sql, userId)
  checkPasswordPolicy(input.newPassword, user.email)
  if (user.passwordHash) await confirmIdentity(sql, user, { password: input.currentPassword })
  const passwordHash = await hashPassword(input.newPassword)
  const endedSessions = await sql.begin(async (tx) => {
    await q.setPasswordHash(tx, userId, passwordHash)
    // The reasons a session ends are a fixed list (sessions_revoked_reason_check): a password set anew is one.
    return q.revokeOtherSessions(tx, userId, currentSessionId, 'password_reset')
  })
  return { endedSessions }
}

/** What deleting the account takes with it, and whether it may be deleted now. */
export async function deletionSummary(sql: Sql, userId: string): Promise<DeletionSummary> {
  const user = await userOf(sql, userId)
  const collections = await collectionsOf(sql, userId)
  return {
    hasPassword: Boolean(user.passwordHash),
    renewingSubscription: await hasRenewingSubscription(sql, userId),
    ownedCollections: collections
      .filter((c) => c.role === 'owner')
      .map((c) => ({ id: c.id, name: c.name, videoCount: c.videoCount, otherMembers: c.memberCount - 1 })),
    memberOf: collections.filter((c) => c.role !== 'owner').map((c) => ({ id: c.id, name: c.name, ownerName: c.ownerName })),
  }
}

/**
 * Deletes the account and everything it owns, all or nothing: the collections it
 * owns (with their videos, transcripts, conversations and notes, including other
 * members'), its conversations and notes in others' collections, memberships,
 * sessions, API keys, usage and billing records. Videos it added to others'
 * collections stay there (they belong to that collection). A subscription that
 * would renew must be cancelled first, so nobody is charged for a deleted account.
 */
export async function deleteAccount(
  deps: { sql: Sql; meter?: UploadMeter },
  userId: string,
  proof: { password?: string; email?: string },
): Promise<void> {
  const user = await userOf(deps.sql, userId)
  await confirmIdentity(deps.sql, user, proof)
  if (await hasRenewingSubscription(deps.sql, userId))
    throw new ConflictError(
      'subscription_active',
      'Your paid plan renews automatically. Cancel it under Plan & usage first (it stays until the end of the period), then delete the account.',
    )
  await deps.sql.begin(async (tx) => {
    // Announced first, so open streams and cached sessions end on every instance.
    // (The rows go with the user below; the reason only has to pass the table's check.)
    await q.revokeAllSessions(tx, userId, 'logout_all')
    await revokeAllApiKeys(tx, userId, 'account_deleted')
    await deleteOwnedCollections(tx, deps.meter, userId)
    await q.deleteUser(tx, userId)
  })
}
