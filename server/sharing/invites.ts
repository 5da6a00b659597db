// The owner's side of invitations: invite addresses (one email each, with a
// single-use link valid 7 days), list, resend and revoke them; create and
// revoke links anyone signed in can join with. Tokens are 256 random bits and
// only their SHA-256 is stored, so a link URL is shown once, when it is made.
// Invitation email leaves through the worker's mail queue (invitationMail.ts):
// the request stores the invitation and its job in one transaction.
import { assertCanAddMembers } from '../billing/attribution.ts'
import type { Billing } from '../billing/billing.ts'
import { normaliseEmail } from '../auth/passwords.ts'
import { hashToken, newOpaqueToken } from '../auth/secureTokens.ts'
import type { Db, Sql } from '../platform/db.ts'
import { NotFoundError } from '../platform/errors.ts'
import type { MailJob } from '../platform/queues.ts'
import { spendBudget } from '../platform/rateLimits.ts'
import { recordActivity } from './activity.ts'
import { INVITE_TTL_DAYS, inviteUrl } from './emails.ts'
import type { GrantableRole, InviteView, LinkView } from './model.ts'
import * as q from './sql.ts'
import { inviteView, linkView } from './views.ts'

/** Queues one email, inside the caller's transaction. */
export type MailOutbox = (job: MailJob, tx: Db) => Promise<unknown>
export type InviteDeps = { sql: Sql; outbox: MailOutbox; billing: Billing; publicUrl: string }

const TTL_SECONDS = INVITE_TTL_DAYS * 24 * 3600
/** Addresses one person may invite per hour, across their collections (resends count). */
export const INVITES_PER_HOUR = 50
const inviteBudget = (userId: string) => ({ key: `invite:user:${userId}`, max: INVITES_PER_HOUR, windowSeconds: 3600 })

// The stored hash until the mail worker mints the emailed link: of a token nobody holds.
const unsentTokenHash = () => hashToken(newOpaqueToken())

export async function inviteByEmail(
  deps: InviteDeps,
  collectionId: string,
  actorId: string,
  rawEmails: string[],
  role: GrantableRole,
): Promise<{ invites: InviteView[]; alreadyMembers: string[] }> {
  const emails = [...new Set(rawEmails.map(normaliseEmail))]
  const members = new Set(await q.memberEmails(deps.sql, collectionId))
  const alreadyMembers = emails.filter((e) => members.has(e))
  const fresh = emails.filter((e) => !members.has(e))
  await spendBudget(deps.sql, inviteBudget(actorId), fresh.length, `You can invite ${INVITES_PER_HOUR} addresses an hour. Try again later.`)
  // Early word from billing; the seat is taken for good only when someone joins.
  if (fresh.length) await assertCanAddMembers(deps.sql, deps.billing, collectionId, fresh.length)
  const invites = await deps.sql.begin(async (tx) => {
    const out: InviteView[] = []
    for (const email of fresh) {
      const row = await q.upsertEmailInvite(tx, {
        collectionId,
        email,
        role,
        tokenHash: unsentTokenHash(),
        createdBy: actorId,
        ttlSeconds: TTL_SECONDS,
      })
      await recordActivity(tx, collectionId, { action: row.created ? 'invited' : 'invite_resent', actorId, subjectEmail: email, role })
      await deps.outbox({ kind: 'invitation', inviteId: row.id, inviterId: actorId }, tx)
      out.push(inviteView(row))
    }
    return out
  })
  return { invites, alreadyMembers }
}

export async function listInvites(sql: Sql, collectionId: string): Promise<InviteView[]> {
  return (await q.listOpenEmailInvites(sql, collectionId)).map(inviteView)
}

/** A new link (the old one stops working) and seven more days. */
export async function resendInvite(deps: InviteDeps, collectionId: string, actorId: string, inviteId: string): Promise<InviteView> {
  const invite = await q.getInvite(deps.sql, collectionId, inviteId, 'email')
  if (!invite) throw new NotFoundError('Invitation')
  await spendBudget(deps.sql, inviteBudget(actorId), 1, `You can invite ${INVITES_PER_HOUR} addresses an hour. Try again later.`)
  const row = await deps.sql.begin(async (tx) => {
    const renewed = await q.renewEmailInvite(tx, inviteId, unsentTokenHash(), TTL_SECONDS)
    if (!renewed) throw new NotFoundError('Invitation')
    await recordActivity(tx, collectionId, { action: 'invite_resent', actorId, subjectEmail: renewed.email, role: renewed.role })
    await deps.outbox({ kind: 'invitation', inviteId, inviterId: actorId }, tx)
    return renewed
  })
  return inviteView(row)
}

export async function revokeInvite(
  sql: Sql,
  collectionId: string,
  actorId: string,
  inviteId: string,
  kind: 'email' | 'link',
): Promise<void> {
  await sql.begin(async (tx) => {
    const invite = await q.getInvite(tx, collectionId, inviteId, kind)
    if (!invite || !(await q.revokeInvite(tx, inviteId))) throw new NotFoundError(kind === 'email' ? 'Invitation' : 'Link')
    await recordActivity(tx, collectionId, {
      action: kind === 'email' ? 'invite_revoked' : 'link_revoked',
      actorId,
      subjectEmail: invite.email,
      role: invite.role,
    })
  })
}

export async function listLinks(sql: Sql, collectionId: string): Promise<LinkView[]> {
  return (await q.listLinks(sql, collectionId)).map(linkView)
}

export async function createLink(
  deps: InviteDeps,
  collectionId: string,
  actorId: string,
  p: { role: GrantableRole; expiresInDays?: number; maxUses?: number },
): Promise<LinkView & { url: string }> {
  const token = newOpaqueToken()
  const expiresAt = p.expiresInDays ? new Date(Date.now() + p.expiresInDays * 24 * 3600 * 1000) : null
  const row = await deps.sql.begin(async (tx) => {
    const link = await q.insertLink(tx, {
      collectionId,
      role: p.role,
      tokenHash: hashToken(token),
      createdBy: actorId,
      expiresAt,
      maxUses: p.maxUses ?? null,
    })
    await recordActivity(tx, collectionId, {
      action: 'link_created',
      actorId,
      role: p.role,
      detail: { linkId: link.id, expiresAt: expiresAt?.toISOString() ?? null, maxUses: link.maxUses },
    })
    return link
  })
  return { ...linkView(row), url: inviteUrl(deps.publicUrl, token) }
}
