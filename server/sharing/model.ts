// Schemas of the sharing routes: members, roles, ownership, invitations,
// links and the activity log. The TypeScript types come from here.
import { t } from 'elysia'

const role = t.Union([t.Literal('owner'), t.Literal('editor'), t.Literal('viewer')])
/** A role that can be given; ownership moves only by transfer. */
const grantableRole = t.Union([t.Literal('editor'), t.Literal('viewer')])
const id = t.String({ format: 'uuid' })

const action = t.Union([
  t.Literal('invited'),
  t.Literal('invite_resent'),
  t.Literal('invite_revoked'),
  t.Literal('invite_declined'),
  t.Literal('joined'),
  t.Literal('role_changed'),
  t.Literal('removed'),
  t.Literal('left'),
  t.Literal('ownership_transferred'),
  t.Literal('link_created'),
  t.Literal('link_revoked'),
])

const invite = t.Object({
  id: t.String(),
  email: t.String(),
  role: grantableRole,
  sentAt: t.String(),
  expiresAt: t.String(),
  expired: t.Boolean(),
})

const link = t.Object({
  id: t.String(),
  role: grantableRole,
  createdAt: t.String(),
  expiresAt: t.Nullable(t.String()),
  maxUses: t.Nullable(t.Integer()),
  useCount: t.Integer(),
  status: t.Union([t.Literal('active'), t.Literal('expired'), t.Literal('used_up')]),
})

export const SharingModel = {
  role,
  grantableRole,
  collectionParams: t.Object({ id }),
  memberParams: t.Object({ id, userId: id }),
  inviteParams: t.Object({ id, inviteId: id }),
  linkParams: t.Object({ id, linkId: id }),
  invitationParams: t.Object({ id }),
  tokenParams: t.Object({ token: t.String({ minLength: 20, maxLength: 100 }) }),

  member: t.Object({ userId: t.String(), email: t.String(), displayName: t.String(), role, joinedAt: t.String() }),
  roleChange: t.Object({ role: grantableRole }),
  transfer: t.Object({ userId: t.String({ format: 'uuid', description: 'An editor of the collection, who becomes its owner at once.' }) }),

  invite,
  inviteCreate: t.Object({
    emails: t.Array(t.String({ format: 'email', maxLength: 320, error: 'must be an email address' }), { minItems: 1, maxItems: 50 }),
    role: grantableRole,
  }),
  invitesCreated: t.Object({ invites: t.Array(invite), alreadyMembers: t.Array(t.String()) }),

  link,
  linkCreate: t.Object({
    role: grantableRole,
    expiresInDays: t.Optional(t.Integer({ minimum: 1, maximum: 365, description: 'Unset: the link does not expire.' })),
    maxUses: t.Optional(t.Integer({ minimum: 1, maximum: 10_000, description: 'Unset: any number of people may join with it.' })),
  }),
  linkCreated: t.Composite([link, t.Object({ url: t.String({ description: 'Shown once: only a hash of its token is kept.' }) })]),

  invitation: t.Object({
    id: t.String(),
    collectionId: t.String(),
    collectionName: t.String(),
    invitedBy: t.Nullable(t.String()),
    role: grantableRole,
    expiresAt: t.String(),
  }),
  preview: t.Object({
    kind: t.Union([t.Literal('email'), t.Literal('link')]),
    status: t.Union([t.Literal('open'), t.Literal('expired'), t.Literal('revoked'), t.Literal('used')]),
    role: grantableRole,
    collectionName: t.Nullable(t.String()),
    invitedBy: t.Nullable(t.String()),
    email: t.Nullable(t.String({ description: 'The address an email invitation is for (only while it is open).' })),
  }),
  joined: t.Object({ collectionId: t.String(), role, alreadyMember: t.Boolean() }),

  activityQuery: t.Object({ before: t.Optional(t.Integer({ minimum: 1 })), limit: t.Optional(t.Integer({ minimum: 1, maximum: 200 })) }),
  activity: t.Object({
    id: t.Integer(),
    action,
    actor: t.Nullable(t.Object({ userId: t.String(), displayName: t.String() })),
    subject: t.Nullable(t.Object({ userId: t.Nullable(t.String()), displayName: t.Nullable(t.String()), email: t.Nullable(t.String()) })),
    role: t.Nullable(role),
    detail: t.Record(t.String(), t.Unknown()),
    createdAt: t.String(),
  }),
}

export type MemberView = typeof SharingModel.member.static
export type GrantableRole = typeof grantableRole.static
export type ActivityView = typeof SharingModel.activity.static
export type InviteView = typeof SharingModel.invite.static
export type LinkView = typeof SharingModel.link.static
export type InvitationView = typeof SharingModel.invitation.static
export type InvitePreview = typeof SharingModel.preview.static
export type JoinedView = typeof SharingModel.joined.static
