// Queries of the sharing capability: members and their roles. Membership rows
// live in collection_members (read through collections/access.ts); the writes
// that change who is in a collection, and in which role, are here.
import type { Role } from '../collections/accessRules.ts'
import type { Db } from '../platform/db.ts'

export type MemberRow = { userId: string; email: string; displayName: string; role: Role; joinedAt: Date }

export async function listMembers(db: Db, collectionId: string): Promise<MemberRow[]> {
  return db<MemberRow[]>`
    select m.user_id, u.email, u.display_name, m.role, m.created_at as joined_at
    from collection_members m join users u on u.id = m.user_id
    where m.collection_id = ${collectionId}
    order by case m.role when 'owner' then 0 when 'editor' then 1 else 2 end, lower(u.display_name), u.email`
}

/** Serialises every membership change of one collection (transfers, joins against a seat limit). */
export async function lockCollection(db: Db, collectionId: string): Promise<{ ownerId: string } | undefined> {
  const [row] = await db<{ ownerId: string }[]>`select owner_id from collections where id = ${collectionId} for update`
  return row
}

export async function setMemberRole(db: Db, collectionId: string, userId: string, role: Role): Promise<void> {
  await db`update collection_members set role = ${role} where collection_id = ${collectionId} and user_id = ${userId}`
}

export async function deleteMember(db: Db, collectionId: string, userId: string): Promise<boolean> {
  const r = await db`delete from collection_members where collection_id = ${collectionId} and user_id = ${userId} and role <> 'owner'`
  return r.count > 0
}

/** Demote first: the one-owner index never sees two owner rows. */
export async function moveOwnership(db: Db, collectionId: string, fromUserId: string, toUserId: string): Promise<void> {
  await db`update collection_members set role = 'editor' where collection_id = ${collectionId} and user_id = ${fromUserId}`
  await db`update collection_members set role = 'owner' where collection_id = ${collectionId} and user_id = ${toUserId}`
  await db`update collections set owner_id = ${toUserId}, updated_at = now() where id = ${collectionId}`
}
