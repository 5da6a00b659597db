// Collections and who belongs to them. Other capabilities check access through
// access.ts; what changes a collection goes through here.
import type { Db, Sql } from '../platform/db.ts'
import { unmeteredUploads, type UploadMeter } from '../platform/quotaGate.ts'
import { videoIdsIn } from '../videos/service.ts'
import * as q from './sql.ts'

/** A new collection with its creator as owner, both or neither. */
export async function createCollection(sql: Sql, ownerId: string, name: string, description: string): Promise<string> {
  return sql.begin((tx) => q.insertCollection(tx, ownerId, name, description))
}

/** Deletes a collection with its videos, transcripts and conversations, giving the videos' slots and bytes back to whoever paid. */
export async function deleteCollection(deps: { sql: Sql; meter?: UploadMeter }, collectionId: string): Promise<void> {
  await deps.sql.begin((tx) => deleteCollectionIn(tx, deps.meter, collectionId))
}

async function deleteCollectionIn(tx: Db, meter: UploadMeter | undefined, collectionId: string): Promise<void> {
  await (meter ?? unmeteredUploads).releaseVideos(tx, await videoIdsIn(tx, collectionId))
  await q.deleteCollection(tx, collectionId)
}

/** The collections a user belongs to, with their role and counts. */
export function collectionsOf(db: Db, userId: string): Promise<q.CollectionRow[]> {
  return q.listCollections(db, userId)
}

/** Deletes every collection the user owns, in the caller's transaction (account deletion). */
export async function deleteOwnedCollections(tx: Db, meter: UploadMeter | undefined, userId: string): Promise<number> {
  const owned = (await q.listCollections(tx, userId)).filter((c) => c.role === 'owner')
  for (const c of owned) await deleteCollectionIn(tx, meter, c.id)
  return owned.length
}
