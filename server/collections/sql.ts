// Queries of the collections capability.
import type { Db } from '../platform/db.ts'
import type { Role } from './access.ts'

export type CollectionRow = { id: string; name: string; description: string; role: Role; videoCount: number; readyCount: number; createdAt: Date; updatedAt: Date }

const SELECT_WITH_COUNTS = (db: Db, userId: string) => db`
  select c.id, c.name, c.description, m.role, c.created_at, c.updated_at,
         (select count(*)::int from videos v where v.collection_id = c.id) as video_count,
         (select count(*)::int from videos v where v.collection_id = c.id and v.status = 'ready') as ready_count
  from collections c join collection_members m on m.collection_id = c.id and m.user_id = ${userId}`

export async function listCollections(db: Db, userId: string): Promise<CollectionRow[]> {
  return db<CollectionRow[]>`${SELECT_WITH_COUNTS(db, userId)} order by c.updated_at desc, c.id`
}

export async function getCollection(db: Db, userId: string, id: string): Promise<CollectionRow | undefined> {
  const [row] = await db<CollectionRow[]>`${SELECT_WITH_COUNTS(db, userId)} where c.id = ${id}`
  return row
}

export async function insertCollection(db: Db, ownerId: string, name: string, description: string): Promise<string> {
  const [row] = await db<{ id: string }[]>`insert into collections (owner_id, name, description) values (${ownerId}, ${name}, ${description}) returning id`
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
