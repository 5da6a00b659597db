// Who may do what with a collection. Every capability asks here; a collection
// the caller cannot see is "not found", never "forbidden", so ids reveal nothing.
import type { Db } from '../platform/db.ts'
import { ForbiddenError, NotFoundError } from '../platform/errors.ts'

export type Role = 'owner' | 'editor' | 'viewer'
const RANK: Record<Role, number> = { viewer: 1, editor: 2, owner: 3 }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export async function requireCollectionRole(db: Db, userId: string, collectionId: string, min: Role): Promise<Role> {
  if (!UUID.test(collectionId)) throw new NotFoundError('Collection')
  const [row] = await db<{ role: Role }[]>`select role from collection_members where collection_id = ${collectionId} and user_id = ${userId}`
  if (!row) throw new NotFoundError('Collection')
  if (RANK[row.role] < RANK[min]) throw new ForbiddenError(`This needs the ${min} role in the collection.`)
  return row.role
}

/** The collection a video belongs to, if the user has at least `min` there. */
export async function requireVideoRole(db: Db, userId: string, videoId: string, min: Role): Promise<{ collectionId: string; role: Role }> {
  if (!UUID.test(videoId)) throw new NotFoundError('Video')
  const [row] = await db<{ collectionId: string; role: Role }[]>`
    select v.collection_id, m.role from videos v
    join collection_members m on m.collection_id = v.collection_id and m.user_id = ${userId}
    where v.id = ${videoId}`
  if (!row) throw new NotFoundError('Video')
  if (RANK[row.role] < RANK[min]) throw new ForbiddenError(`This needs the ${min} role in the collection.`)
  return row
}

/** The collection's owner (billing charges videos, minutes and storage to them), or null. */
export async function collectionOwnerId(db: Db, collectionId: string): Promise<string | null> {
  if (!UUID.test(collectionId)) return null
  const [row] = await db<{ ownerId: string }[]>`select owner_id from collections where id = ${collectionId}`
  return row?.ownerId ?? null
}

export async function countCollectionMembers(db: Db, collectionId: string): Promise<number> {
  const [row] = await db<{ n: number }[]>`select count(*)::int as n from collection_members where collection_id = ${collectionId}`
  return row?.n ?? 0
}

export async function readableCollectionIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db<{ collectionId: string }[]>`select collection_id from collection_members where user_id = ${userId}`
  return rows.map((r) => r.collectionId)
}
