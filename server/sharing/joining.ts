// The invitee's side: what an invitation link shows, joining with it, and the
// "Invitations" list in the app (email invitations to your verified address).
// Joining locks the collection row, then the invitation, so concurrent joins
// of one collection (the last use of a link, the last seat of a plan) happen
// one at a time.
import { assertCanAddMembers } from '../billing/attribution.ts'
import type { Billing } from '../billing/billing.ts'
import type { UserView } from '../auth/model.ts'
import { getAccount, markEmailProven } from '../auth/service.ts'
import { hashToken } from '../auth/secureTokens.ts'
import { memberRole } from '../collections/access.ts'
import type { Sql, TransactionSql } from '../platform/db.ts'
import { AppError, ForbiddenError, NotFoundError, UnauthorizedError } from '../platform/errors.ts'
import { recordActivity } from './activity.ts'
import type { InvitationView, InvitePreview, JoinedView } from './model.ts'
import * as q from './sql.ts'
import { invitationView } from './views.ts'

export type JoinDeps = { sql: Sql; billing: Billing }

type Status = InvitePreview['status']

function statusOf(i: q.InviteRow): Status {
  if (i.revokedAt) return 'revoked'
  if (i.acceptedAt || i.declinedAt || (i.maxUses !== null && i.useCount >= i.maxUses)) return 'used'
  if (i.expiresAt && i.expiresAt <= i.now) return 'expired'
  return 'open'
}

const GONE: Record<Exclude<Status, 'open'>, [string, string]> = {
  revoked: ['invite_revoked', 'This invitation was withdrawn by the collection’s owner.'],
  used: ['invite_used', 'This invitation has already been used. Ask the collection’s owner for a new one.'],
  expired: ['invite_expired', 'This invitation has expired. Ask the collection’s owner for a new one.'],
}

class InviteGoneError extends AppError {
  constructor(status: Exclude<Status, 'open'>) {
    super(410, GONE[status][0], 'Gone', GONE[status][1])
  }
}

const NOT_FOUND = () => new NotFoundError('Invitation', 'invite_not_found')

export async function previewInvite(sql: Sql, token: string): Promise<InvitePreview> {
  const invite = await q.getInviteByTokenHash(sql, hashToken(token))
  if (!invite) throw NOT_FOUND()
  const status = statusOf(invite)
  // Only an open invitation says where it leads.
  const open = status === 'open'
  return {
    kind: invite.kind,
    status,
    role: invite.role,
    collectionName: open ? invite.collectionName : null,
    invitedBy: open ? invite.inviterName : null,
    email: open ? invite.email : null,
  }
}

async function account(sql: Sql, userId: string): Promise<UserView> {
  const user = await getAccount(sql, userId)
  if (!user) throw new UnauthorizedError()
  return user
}

/** Adds the user with the invitation's role, in a transaction that holds the collection and then the invitation. */
async function join(tx: TransactionSql, deps: JoinDeps, user: UserView, invite: q.InviteWithContext): Promise<JoinedView> {
  const status = statusOf(invite)
  if (status !== 'open') throw new InviteGoneError(status)
  const existing = await memberRole(tx, invite.collectionId, user.id)
  if (existing) {
    // Nothing to add; an email invitation is used up, a link keeps its uses.
    if (invite.kind === 'email') await q.closeEmailInvite(tx, invite.id, 'accepted', user.id)
    return { collectionId: invite.collectionId, role: existing, alreadyMember: true }
  }
  await assertCanAddMembers(tx, deps.billing, invite.collectionId, 1)
  if (invite.kind === 'link') {
    if (!(await q.takeLinkUse(tx, invite.id))) throw new InviteGoneError('used')
  } else {
    if (!(await q.closeEmailInvite(tx, invite.id, 'accepted', user.id))) throw new InviteGoneError('used')
    // The link was mailed to this address: opening it proves the inbox.
    await markEmailProven(tx, user.id, invite.email!)
  }
  await q.addMember(tx, invite.collectionId, user.id, invite.role)
  await recordActivity(tx, invite.collectionId, {
    action: 'joined',
    actorId: user.id,
    subjectUserId: user.id,
    role: invite.role,
    detail: { via: invite.kind, inviteId: invite.id },
  })
  return { collectionId: invite.collectionId, role: invite.role, alreadyMember: false }
}

async function lockedInvite(
  tx: TransactionSql,
  find: (lock: boolean) => Promise<q.InviteWithContext | undefined>,
): Promise<q.InviteWithContext> {
  const seen = await find(false)
  if (!seen) throw NOT_FOUND()
  await q.lockCollection(tx, seen.collectionId)
  return (await find(true))!
}

/** Joins with the token of an email invitation (for its address only) or of a link (anyone signed in). */
export async function acceptInviteToken(deps: JoinDeps, userId: string, token: string): Promise<JoinedView> {
  const user = await account(deps.sql, userId)
  const hash = hashToken(token)
  return deps.sql.begin(async (tx) => {
    const invite = await lockedInvite(tx, (lock) => q.getInviteByTokenHash(tx, hash, lock))
    if (invite.kind === 'email' && invite.email !== user.email && statusOf(invite) === 'open')
      throw new ForbiddenError(
        `This invitation is for ${invite.email}, and you are signed in as ${user.email}. Sign in with ${invite.email} to accept it.`,
        'invite_wrong_account',
      )
    return join(tx, deps, user, invite)
  }) as Promise<JoinedView>
}

/** Open invitations to the user's address — only once they have verified it. */
export async function listMyInvitations(sql: Sql, userId: string): Promise<InvitationView[]> {
  const user = await account(sql, userId)
  if (!user.emailVerified) return []
  return (await q.listInvitationsFor(sql, user.email)).map(invitationView)
}

/** An invitation addressed to the user, accepted or declined from the app (no link: the verified address is the proof). */
export async function answerInvitation(
  deps: JoinDeps,
  userId: string,
  inviteId: string,
  answer: 'accept' | 'decline',
): Promise<JoinedView | null> {
  const user = await account(deps.sql, userId)
  return deps.sql.begin(async (tx) => {
    const invite = await lockedInvite(tx, (lock) => q.getInviteWithContext(tx, inviteId, lock))
    if (invite.kind !== 'email' || invite.email !== user.email) throw NOT_FOUND()
    if (!user.emailVerified)
      throw new ForbiddenError('Verify your email address first (or open the link in the invitation email).', 'email_unverified')
    if (answer === 'accept') return join(tx, deps, user, invite)
    const status = statusOf(invite)
    if (status !== 'open') throw new InviteGoneError(status)
    await q.closeEmailInvite(tx, invite.id, 'declined', user.id)
    await recordActivity(tx, invite.collectionId, {
      action: 'invite_declined',
      actorId: user.id,
      subjectUserId: user.id,
      subjectEmail: user.email,
      role: invite.role,
    })
    return null
  }) as Promise<JoinedView | null>
}
