// Rows to API shapes.
import type { ActivityView, InvitationView, InviteView, LinkView, MemberView } from './model.ts'
import type { ActivityRow, InviteRow, InviteWithContext, MemberRow } from './sql.ts'

export function memberView(m: MemberRow): MemberView {
  return { userId: m.userId, email: m.email, displayName: m.displayName, role: m.role, joinedAt: m.joinedAt.toISOString() }
}

export function inviteView(r: InviteRow): InviteView {
  return {
    id: r.id,
    email: r.email!,
    role: r.role,
    sentAt: (r.lastSentAt ?? r.createdAt).toISOString(),
    expiresAt: r.expiresAt!.toISOString(),
    expired: r.expiresAt! <= r.now,
  }
}

export function linkView(r: InviteRow): LinkView {
  const status = r.maxUses !== null && r.useCount >= r.maxUses ? 'used_up' : r.expiresAt && r.expiresAt <= r.now ? 'expired' : 'active'
  return {
    id: r.id,
    role: r.role,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt?.toISOString() ?? null,
    maxUses: r.maxUses,
    useCount: r.useCount,
    status,
  }
}

export function invitationView(i: InviteWithContext): InvitationView {
  return {
    id: i.id,
    collectionId: i.collectionId,
    collectionName: i.collectionName,
    invitedBy: i.inviterName,
    role: i.role,
    expiresAt: i.expiresAt!.toISOString(),
  }
}

export function activityView(r: ActivityRow): ActivityView {
  return {
    id: r.id,
    action: r.action,
    actor: r.actorId ? { userId: r.actorId, displayName: r.actorName ?? '' } : null,
    subject: r.subjectUserId || r.subjectEmail ? { userId: r.subjectUserId, displayName: r.subjectName, email: r.subjectEmail } : null,
    role: r.role,
    detail: r.detail,
    createdAt: r.createdAt.toISOString(),
  }
}
