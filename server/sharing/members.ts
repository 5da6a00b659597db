// Changing who is in a collection and in which role. Every change runs in a
// transaction that first locks the collection row, so concurrent changes of
// one collection (two transfers, a transfer and a removal) happen one after
// the other and each re-checks what it relies on. A member who is removed or
// leaves loses their open streams of the collection when the change commits.
//
// Ownership transfer: the owner hands the collection to an existing editor,
// at once (no acceptance step; an editor already adds to it). The old owner
// becomes an editor. A viewer must first be made an editor — a deliberate
// second step, so ownership never lands on someone by a slip of the menu.
import { announceAccessLost, memberRole, requireCollectionRole } from '../collections/access.ts'
import type { Sql, TransactionSql as Tx } from '../platform/db.ts'
import { ConflictError, NotFoundError } from '../platform/errors.ts'
import { recordActivity } from './activity.ts'
import type { GrantableRole, MemberView } from './model.ts'
import * as q from './sql.ts'
import { memberView } from './views.ts'

export async function listMembers(sql: Sql, collectionId: string): Promise<MemberView[]> {
  return (await q.listMembers(sql, collectionId)).map(memberView)
}

/** Runs `change` with the collection locked, after re-checking that the actor still owns it. */
async function asOwner<T>(sql: Sql, collectionId: string, actorId: string, change: (tx: Tx) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    if (!(await q.lockCollection(tx, collectionId))) throw new NotFoundError('Collection')
    await requireCollectionRole(tx, actorId, collectionId, 'owner')
    return change(tx)
  }) as Promise<T>
}

async function requireMember(tx: Tx, collectionId: string, userId: string) {
  const role = await memberRole(tx, collectionId, userId)
  if (!role) throw new NotFoundError('Member')
  return role
}

export async function changeRole(sql: Sql, collectionId: string, actorId: string, userId: string, role: GrantableRole): Promise<void> {
  await asOwner(sql, collectionId, actorId, async (tx) => {
    const current = await requireMember(tx, collectionId, userId)
    if (current === 'owner') throw new ConflictError('owner_role_fixed', 'The owner’s role changes only by transferring ownership.')
    if (current === role) return
    await q.setMemberRole(tx, collectionId, userId, role)
    await recordActivity(tx, collectionId, { action: 'role_changed', actorId, subjectUserId: userId, role, detail: { from: current } })
  })
}

export async function removeMember(sql: Sql, collectionId: string, actorId: string, userId: string): Promise<void> {
  await asOwner(sql, collectionId, actorId, async (tx) => {
    const current = await requireMember(tx, collectionId, userId)
    if (current === 'owner')
      throw new ConflictError('owner_cannot_be_removed', 'The owner cannot be removed. Transfer ownership first, or delete the collection.')
    await q.deleteMember(tx, collectionId, userId)
    await recordActivity(tx, collectionId, { action: 'removed', actorId, subjectUserId: userId, role: current })
    await announceAccessLost(tx, userId, collectionId)
  })
}

export async function leave(sql: Sql, collectionId: string, userId: string): Promise<void> {
  await sql.begin(async (tx) => {
    await q.lockCollection(tx, collectionId)
    const current = await memberRole(tx, collectionId, userId)
    if (!current) throw new NotFoundError('Collection')
    if (current === 'owner')
      throw new ConflictError(
        'owner_cannot_leave',
        'The owner cannot leave. Transfer ownership to an editor first, or delete the collection.',
      )
    await q.deleteMember(tx, collectionId, userId)
    await recordActivity(tx, collectionId, { action: 'left', actorId: userId, subjectUserId: userId, role: current })
    await announceAccessLost(tx, userId, collectionId)
  })
}

export async function transferOwnership(sql: Sql, collectionId: string, actorId: string, newOwnerId: string): Promise<void> {
  await asOwner(sql, collectionId, actorId, async (tx) => {
    if (newOwnerId === actorId) throw new ConflictError('already_owner', 'You already own this collection.')
    const current = await requireMember(tx, collectionId, newOwnerId)
    if (current !== 'editor')
      throw new ConflictError('transfer_needs_editor', 'Ownership goes to an editor. Make this member an editor first.')
    await q.moveOwnership(tx, collectionId, actorId, newOwnerId)
    await recordActivity(tx, collectionId, { action: 'ownership_transferred', actorId, subjectUserId: newOwnerId, role: 'owner' })
  })
}
