// Rows to API shapes.
import type { CollectionView } from './model.ts'
import type { CollectionRow } from './sql.ts'

export function collectionView(row: CollectionRow): CollectionView {
  return { id: row.id, name: row.name, description: row.description, role: row.role, videoCount: row.videoCount, readyCount: row.readyCount, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() }
}
