// Collections and who belongs to them. Other capabilities check access through
// access.ts; what changes a collection goes through here.
import type { Sql } from '../platform/db.ts'
import * as q from './sql.ts'

/** A new collection with its creator as owner, both or neither. */
export async function createCollection(sql: Sql, ownerId: string, name: string, description: string): Promise<string> {
  return sql.begin((tx) => q.insertCollection(tx, ownerId, name, description))
}
