// Rows to API shapes.
import type { CollectionView } from './model.ts'
import type { CollectionRow } from './sql.ts'

export function collectionView(row: CollectionRow): CollectionView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    role: row.role,
    ownerId: row.ownerId,
    ownerName: row.ownerName,
    memberCount: row.memberCount,
    videoCount: row.videoCount,
    readyCount: row.readyCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}
