// The log of membership changes per collection, written in the same
// transaction as the change it records, read by the owner in the share dialog.
import type { Db } from '../platform/db.ts'
import type { ActivityView } from './model.ts'
import * as q from './sql.ts'
import { activityView } from './views.ts'

export function recordActivity(db: Db, collectionId: string, entry: q.NewActivity): Promise<void> {
  return q.insertActivity(db, collectionId, entry)
}

export async function listActivity(
  db: Db,
  collectionId: string,
  p: { before?: number; limit?: number },
): Promise<{ items: ActivityView[]; nextBefore: number | null }> {
  const limit = p.limit ?? 50
  const rows = await q.listActivity(db, collectionId, { before: p.before ?? null, limit: limit + 1 })
  const page = rows.slice(0, limit)
  return { items: page.map(activityView), nextBefore: rows.length > limit ? page.at(-1)!.id : null }
}
