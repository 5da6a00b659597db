// The owner's side of invitations: invite addresses (one email each, with a
// single-use link valid 7 days), list, resend and revoke them; create and
// revoke links anyone signed in can join with. Tokens are 256 random bits and
// only their SHA-256 is stored, so a link URL is shown once, when it is made.
import { assertCanAddMembers } from '../billing/attribution.ts'
import type { Billing } from '../billing/billing.ts'
import { getAccount } from '../auth/service.ts'
import { normaliseEmail } from '../auth/passwords.ts'
import { hashToken, newOpaqueToken } from '../auth/secureTokens.ts'
import type { Sql } from '../platform/db.ts'
import { NotFoundError } from '../platform/errors.ts'
import type { Logger } from '../platform/logger.ts'
import type { Mailer } from '../platform/mailer.ts'
import { spendBudget } from '../platform/rateLimits.ts'
import { recordActivity } from './activity.ts'
import { INVITE_TTL_DAYS, invitationEmail, inviteUrl } from './emails.ts'
import type { GrantableRole, InviteView, LinkView } from './model.ts'
import * as q from './sql.ts'
import { inviteView, linkView } from './views.ts'

export type InviteDeps = { sql: Sql; mailer: Mailer; logger: Logger; billing: Billing; publicUrl: string }

const TTL_SECONDS = INVITE_TTL_DAYS * 24 * 3600
/** Addresses one person may invite per hour, across their collections (resends count). */
export const INVITES_PER_HOUR = 50
const inviteBudget = (userId: string) => ({ key: `invite:user:${userId}`, max: INVITES_PER_HOUR, windowSeconds: 3600 })

/** Mail goes out after the invitations are stored; a failed send is logged and can be resent. */
async function mail(deps: InviteDeps, sends: { email: string; token: string; role: string }[], collectionId: string, actorId: string): Promise<void> {
  if (!sends.length) return
  const inviterName = (await getAccount(deps.sql, actorId))?.displayName ?? 'Someone'
  const name = (await q.getCollectionName(deps.sql, collectionId)) ?? 'a collection'
  for (const s of sends) {
    try {
      await deps.mailer.send(invitationEmail(s.email, { publicUrl: deps.publicUrl, token: s.token, inviterName, collectionName: name, role: s.role }))
    } catch (err) {
      deps.logger.error('invitation email not sent', { collectionId, err })
    }
  }
}

export async function inviteByEmail(deps: InviteDeps, collectionId: string, actorId: string, rawEmails: string[], role: GrantableRole): Promise<{ invites: InviteView[]; alreadyMembers: string[] }> {
  const emails = [...new Set(rawEmails.map(normaliseEmail))]
  const members = new Set(await q.memberEmails(deps.sql, collectionId))
  const alreadyMembers = emails.filter((e) => members.has(e))
  const fresh = emails.filter((e) => !members.has(e))
  await spendBudget(deps.sql, inviteBudget(actorId), fresh.length, `You can invite ${INVITES_PER_HOUR} addresses an hour. Try again later.`)
  // Early word from billing; the seat is taken for good only when someone joins.
  if (fresh.length) await assertCanAddMembers(deps.sql, deps.billing, collectionId, fresh.length)
  const sends: { email: string; token: string; role: string }[] = []
  const invites = await deps.sql.begin(async (tx) => {
    const out: InviteView[] = []
    for (const email of fresh) {
      const token = newOpaqueToken()
      const row = await q.upsertEmailInvite(tx, { collectionId, email, role, tokenHash: hashToken(token), createdBy: actorId, ttlSeconds: TTL_SECONDS })
      await recordActivity(tx, collectionId, { action: row.created ? 'invited' : 'invite_resent', actorId, subjectEmail: email, role })
      sends.push({ email, token, role })
      out.push(inviteView(row))
    }
    return out
  })
  await mail(deps, sends, collectionId, actorId)
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
  const token = newOpaqueToken()
  const row = await deps.sql.begin(async (tx) => {
    const renewed = await q.renewEmailInvite(tx, inviteId, hashToken(token), TTL_SECONDS)
    if (!renewed) throw new NotFoundError('Invitation')
    await recordActivity(tx, collectionId, { action: 'invite_resent', actorId, subjectEmail: renewed.email, role: renewed.role })
    return renewed
  })
  await mail(deps, [{ email: row.email!, token, role: row.role }], collectionId, actorId)
  return inviteView(row)
}

export async function revokeInvite(sql: Sql, collectionId: string, actorId: string, inviteId: string, kind: 'email' | 'link'): Promise<void> {
  await sql.begin(async (tx) => {
    const invite = await q.getInvite(tx, collectionId, inviteId, kind)
    if (!invite || !(await q.revokeInvite(tx, inviteId))) throw new NotFoundError(kind === 'email' ? 'Invitation' : 'Link')
    await recordActivity(tx, collectionId, { action: kind === 'email' ? 'invite_revoked' : 'link_revoked', actorId, subjectEmail: invite.email, role: invite.role })
  })
}

export async function listLinks(sql: Sql, collectionId: string): Promise<LinkView[]> {
  return (await q.listLinks(sql, collectionId)).map(linkView)
}

export async function createLink(deps: InviteDeps, collectionId: string, actorId: string, p: { role: GrantableRole; expiresInDays?: number; maxUses?: number }): Promise<LinkView & { url: string }> {
  const token = newOpaqueToken()
  const expiresAt = p.expiresInDays ? new Date(Date.now() + p.expiresInDays * 24 * 3600 * 1000) : null
  const row = await deps.sql.begin(async (tx) => {
    const link = await q.insertLink(tx, { collectionId, role: p.role, tokenHash: hashToken(token), createdBy: actorId, expiresAt, maxUses: p.maxUses ?? null })
    await recordActivity(tx, collectionId, { action: 'link_created', actorId, role: p.role, detail: { linkId: link.id, expiresAt: expiresAt?.toISOString() ?? null, maxUses: link.maxUses } })
    return link
  })
  return { ...linkView(row), url: inviteUrl(deps.publicUrl, token) }
}
