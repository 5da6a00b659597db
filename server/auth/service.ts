// Account flows: sign-up, password login, email verification, password reset
// and sign-in with an external identity. Responses that could tell whether an
// email has an account are the same either way, in content and in work done.
import { revokeAllApiKeys } from '../apiKeys/service.ts'
import type { Db, Sql } from '../platform/db.ts'
import { UnauthorizedError, UnprocessableError } from '../platform/errors.ts'
import type { MailJob } from '../platform/queues.ts'
import { assertUnderLimits, clearLimit, consumeLimits, recordHits, type Limit } from '../platform/rateLimits.ts'
import { checkPasswordPolicy, hashPassword, normaliseEmail, verifyAgainstDummy, verifyPassword } from './passwords.ts'
import { hashToken } from './secureTokens.ts'
import type { UserView } from './model.ts'
import * as q from './sql.ts'
import { userView } from './views.ts'

/** Queues one email (`mail` queue, sent by the worker); requests never talk to SMTP. */
export type MailOutbox = (job: MailJob) => Promise<unknown>
export type AuthDeps = { sql: Sql; outbox: MailOutbox }

/** The user's email, or null when there is no such user (billing names Stripe customers by it). */
export async function getUserEmail(sql: Sql, userId: string): Promise<string | null> {
  return (await q.getUserById(sql, userId))?.email ?? null
}

/** The id of the account with this email (any case), or null. */
export async function getUserIdByEmail(sql: Sql, email: string): Promise<string | null> {
  return (await q.getUserByEmail(sql, normaliseEmail(email)))?.id ?? null
}

/** Who a user is, for sharing (invitations match their address). */
export async function getAccount(db: Db, userId: string): Promise<UserView | null> {
  const user = await q.getUserById(db, userId)
  return user ? userView(user) : null
}

/**
 * Someone who opened a link sent to `email` has shown they read that inbox:
 * their account's address counts as verified (sharing: accepting an emailed invitation).
 */
export async function markEmailProven(db: Db, userId: string, email: string): Promise<void> {
  const user = await q.getUserById(db, userId)
  if (user?.email === email && !user.emailVerifiedAt) await q.markEmailVerified(db, userId)
}

// Failed logins are counted per account+IP (so nobody can lock a victim out
// from elsewhere) and per IP (so one address cannot spray many accounts).
const loginLimits = (email: string, ip: string): Limit[] => [
  { key: `login:account-ip:${email}|${ip}`, max: 5, windowSeconds: 15 * 60 },
  { key: `login:ip:${ip}`, max: 50, windowSeconds: 15 * 60 },
]
const signupLimits = (ip: string): Limit[] => [{ key: `signup:ip:${ip}`, max: 10, windowSeconds: 3600 }]
const resetLimits = (ip: string): Limit[] => [{ key: `reset:ip:${ip}`, max: 5, windowSeconds: 3600 }]

export async function signUp(deps: AuthDeps, input: { email: string; password: string; displayName?: string }, ip: string): Promise<void> {
  const email = normaliseEmail(input.email)
  checkPasswordPolicy(input.password, email)
  await consumeLimits(deps.sql, signupLimits(ip), 'Too many sign-ups from this network. Try again later.')
  // Hash before looking the email up, so both paths cost the same.
  const passwordHash = await hashPassword(input.password)
  const created = await q.insertUser(deps.sql, {
    email,
    displayName: input.displayName?.trim() || email.split('@')[0]!,
    passwordHash,
    emailVerified: false,
  })
  // One job either way; the worker mints the link (see accountMail.ts).
  await deps.outbox(created ? { kind: 'verify-email', userId: created.id } : { kind: 'already-registered', email })
}

export async function logIn(deps: AuthDeps, input: { email: string; password: string }, ip: string): Promise<q.UserRow> {
  const email = normaliseEmail(input.email)
  const limits = loginLimits(email, ip)
  await assertUnderLimits(deps.sql, limits, 'Too many failed sign-in attempts. Wait a moment and try again.')
  const user = await q.getUserByEmail(deps.sql, email)
  const ok = user?.passwordHash ? await verifyPassword(input.password, user.passwordHash) : await verifyAgainstDummy(input.password)
  if (!user || !ok) {
    await recordHits(deps.sql, limits)
    throw new UnauthorizedError('The email or password is wrong.', 'invalid_credentials')
  }
  await clearLimit(deps.sql, limits[0]!.key)
  return user
}

export async function resendVerification(deps: AuthDeps, userId: string): Promise<void> {
  const user = await q.getUserById(deps.sql, userId)
  if (!user || user.emailVerifiedAt) return
  await deps.outbox({ kind: 'verify-email', userId: user.id })
}

/** 'already': the link was used before and confirmed the account's current address (a second click, a mail scanner). */
export async function verifyEmail(deps: AuthDeps, token: string): Promise<'verified' | 'already'> {
  const used = await q.consumeEmailToken(deps.sql, hashToken(token), 'verify_email')
  if (!used) {
    if (await q.verifiedByToken(deps.sql, hashToken(token))) return 'already'
    throw new UnprocessableError('token_invalid', 'This link is invalid, expired or already used. Ask for a new one.')
  }
  const user = await q.getUserById(deps.sql, used.userId)
  // The address may have changed since the link was sent.
  if (user?.email === used.email) await q.markEmailVerified(deps.sql, used.userId)
  return 'verified'
}

export async function requestPasswordReset(deps: AuthDeps, rawEmail: string, ip: string): Promise<void> {
  const email = normaliseEmail(rawEmail)
  await consumeLimits(deps.sql, resetLimits(ip), 'Too many reset requests from this network. Try again later.')
  // Not even a lookup here: whether the address has an account is the worker's
  // business, so this answer takes the same time either way.
  await deps.outbox({ kind: 'password-reset', email })
}

/** Sets the new password and ends every session of the account. */
export async function resetPassword(deps: AuthDeps, token: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password)
  await deps.sql.begin(async (tx) => {
    const used = await q.consumeEmailToken(tx, hashToken(token), 'reset_password')
    if (!used) throw new UnprocessableError('token_invalid', 'This link is invalid, expired or already used. Ask for a new one.')
    const user = await q.getUserById(tx, used.userId)
    if (!user) throw new UnprocessableError('token_invalid', 'This link is invalid, expired or already used. Ask for a new one.')
    checkPasswordPolicy(password, user.email)
    await q.setPasswordHash(tx, user.id, passwordHash)
    // Whoever reads the inbox owns the address.
    if (user.email === used.email) await q.markEmailVerified(tx, user.id)
    await q.revokeAllSessions(tx, user.id, 'password_reset')
    // Keys someone made with the old password stop too.
    await revokeAllApiKeys(tx, user.id, 'password_reset')
  })
}

export type ExternalIdentity = {
  provider: string
  subject: string
  email: string | null
  emailVerified: boolean
  displayName: string | null
}

/**
 * Finds or creates the user for an external identity. An existing account is
 * linked only when the provider vouches for the email. If that account never
 * proved its own address, its password is dropped and its sessions ended: it
 * may have been registered by someone else waiting for the owner to link it.
 */
export async function signInWithIdentity(sql: Sql, identity: ExternalIdentity): Promise<q.UserRow> {
  return sql.begin(async (tx) => {
    const linked = await q.getOAuthAccount(tx, identity.provider, identity.subject)
    if (linked) {
      await q.touchOAuthAccount(tx, identity.provider, identity.subject)
      const user = await q.getUserById(tx, linked.userId)
      if (user) return user
    }
    const email = identity.email ? normaliseEmail(identity.email) : null
    if (!email || !identity.emailVerified)
      throw new UnprocessableError(
        'oauth_email_unverified',
        'Your account at the provider has no verified email address. Verify it there, or sign up with email and password.',
      )
    let user = await q.getUserByEmail(tx, email)
    if (user && !user.emailVerifiedAt) {
      await q.setPasswordHash(tx, user.id, null)
      await q.revokeAllSessions(tx, user.id, 'account_linked')
      await q.markEmailVerified(tx, user.id)
      user = await q.getUserById(tx, user.id)
    }
    if (!user)
      user = await q.insertUser(tx, {
        email,
        displayName: identity.displayName?.trim() || email.split('@')[0]!,
        passwordHash: null,
        emailVerified: true,
      })
    if (!user) throw new Error('user insert raced and lost')
    await q.insertOAuthAccount(tx, { provider: identity.provider, subject: identity.subject, userId: user.id, email })
    return user
  })
}
