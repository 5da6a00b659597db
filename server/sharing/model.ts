// Schemas of the sharing routes: members, roles, ownership.
import { t } from 'elysia'

const role = t.Union([t.Literal('owner'), t.Literal('editor'), t.Literal('viewer')])
/** A role that can be given; ownership moves only by transfer. */
const grantableRole = t.Union([t.Literal('editor'), t.Literal('viewer')])

export const SharingModel = {
  role,
  grantableRole,
  collectionParams: t.Object({ id: t.String({ format: 'uuid' }) }),
  memberParams: t.Object({ id: t.String({ format: 'uuid' }), userId: t.String({ format: 'uuid' }) }),
  member: t.Object({ userId: t.String(), email: t.String(), displayName: t.String(), role, joinedAt: t.String() }),
  roleChange: t.Object({ role: grantableRole }),
  transfer: t.Object({ userId: t.String({ format: 'uuid', description: 'An editor of the collection, who becomes its owner at once.' }) }),
}

export type MemberView = typeof SharingModel.member.static
export type GrantableRole = typeof grantableRole.static
