// Queries of the collections capability.
import type { Db } from '../platform/db.ts'
import type { Role } from './accessRules.ts'

export type CollectionRow = {
  id: string
  name: string
  description: string
  role: Role
  ownerId: string
  ownerName: string
  memberCount: number
  videoCount: number
  readyCount: number
  createdAt: Date
  updatedAt: Date
}

const SELECT_WITH_COUNTS = (db: Db, userId: string) => db`
  select c.id, c.name, c.description, m.role, c.owner_id, u.display_name as owner_name, c.created_at, c.updated_at,
         (select count(*)::int from collection_members cm where cm.collection_id = c.id) as member_count,
         (select count(*)::int from videos v where v.collection_id = c.id) as video_count,
         (select count(*)::int from videos v where v.collection_id = c.id and v.status = 'ready') as ready_count
  from collections c
  join collection_members m on m.collection_id = c.id and m.user_id = ${userId}
  join users u on u.id = c.owner_id`

export async function listCollections(db: Db, userId: string): Promise<CollectionRow[]> {
  return db<CollectionRow[]>`${SELECT_WITH_COUNTS(db, userId)} order by c.updated_at desc, c.id`
}

export async function getCollection(db: Db, userId: string, id: string): Promise<CollectionRow | undefined> {
  const [row] = await db<CollectionRow[]>`${SELECT_WITH_COUNTS(db, userId)} where c.id = ${id}`
  return row
}

export async function insertCollection(db: Db, ownerId: string, name: string, description: string): Promise<string> {
  const [row] = await db<
    { id: string }[]
  >`insert into collections (owner_id, name, description) values (${ownerId}, ${name}, ${description}) returning id`
  await db`insert into collection_members (collection_id, user_id, role) values (${row!.id}, ${ownerId}, 'owner')`
  return row!.id
}

export async function updateCollection(db: Db, id: string, patch: { name?: string; description?: string }): Promise<void> {
  await db`
    update collections set
      name = coalesce(${patch.name ?? null}, name),
      description = coalesce(${patch.description ?? null}, description),
      updated_at = now()
    where id = ${id}`
}

export async function deleteCollection(db: Db, id: string): Promise<void> {
  await db`delete from collections where id = ${id}`
}

export async function getMemberRole(db: Db, collectionId: string, userId: string): Promise<Role | null> {
  const [row] = await db<
    { role: Role }[]
  >`select role from collection_members where collection_id = ${collectionId} and user_id = ${userId}`
  return row?.role ?? null
}

export async function getVideoMembership(
  db: Db,
  videoId: string,
  userId: string,
): Promise<{ collectionId: string; role: Role } | undefined> {
  const [row] = await db<{ collectionId: string; role: Role }[]>`
    select v.collection_id, m.role from videos v
    join collection_members m on m.collection_id = v.collection_id and m.user_id = ${userId}
    where v.id = ${videoId}`
  return row
}

export async function listMemberCollectionIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db<{ collectionId: string }[]>`select collection_id from collection_members where user_id = ${userId}`
  return rows.map((r) => r.collectionId)
}

export async function getCollectionOwnerId(db: Db, collectionId: string): Promise<string | null> {
  const [row] = await db<{ ownerId: string }[]>`select owner_id from collections where id = ${collectionId}`
  return row?.ownerId ?? null
}

export async function countMembers(db: Db, collectionId: string): Promise<number> {
  const [row] = await db<{ n: number }[]>`select count(*)::int as n from collection_members where collection_id = ${collectionId}`
  return row!.n
}

/** Of these (collection, user) pairs, the ones that are still members, as `collectionId|userId` (stream re-checks). */
export async function memberPairs(db: Db, pairs: { collectionId: string; userId: string }[]): Promise<Set<string>> {
  if (pairs.length === 0) return new Set()
  const rows = await db<{ collectionId: string; userId: string }[]>`
    select m.collection_id, m.user_id from collection_members m
    join unnest(${db.array(pairs.map((p) => p.collectionId))}::uuid[], ${db.array(pairs.map((p) => p.userId))}::uuid[]) as p(c, u)
      on m.collection_id = p.c and m.user_id = p.u`
  return new Set(rows.map((r) => `${r.collectionId}|${r.userId}`))
}
