// What the load test's virtual users work on: one owner's collections of real
// transcripts, and `accounts` accounts that are viewers of all of them, each
// with its own empty collection to upload to. Users share accounts, so the
// setup does not hash a password per virtual user.
import { insertCollection } from '../../server/collections/sql.ts'
import { makeUser } from '../../testing/factories.ts'
import type { TestDatabase } from '../../testing/testDatabase.ts'
import { apiConfig } from '../processes.ts'
import { LONG_TRANSCRIPTS, seedCollection } from '../seedCollection.ts'
import { ACCESS_TTL_S, type Account, renewAfter } from './accounts.ts'

export type Seeded = { users: Account[]; uploadTo: Map<string, string>; collections: string[]; videos: string[] }

export async function seedAccounts(db: TestDatabase, accounts: number): Promise<Seeded> {
  const config = apiConfig(db.url, { ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TTL_S) })
  console.log(`seeding: ${accounts} accounts, ${LONG_TRANSCRIPTS.length} collections of real transcripts`)
  const owner = await makeUser(db.sql, config, 'owner')
  const seeded = []
  for (const file of LONG_TRANSCRIPTS) seeded.push(await seedCollection(db.sql, config, owner.id, file))
  const users: Account[] = []
  const uploadTo = new Map<string, string>()
  for (let i = 0; i < accounts; i++) {
    const u = await makeUser(db.sql, config, `load${i}`)
    users.push({ ...u, renewAt: renewAfter(), renewing: null })
    for (const s of seeded)
      await db.sql`insert into collection_members (collection_id, user_id, role) values (${s.collectionId}, ${u.id}, 'viewer')`
    const own = await insertCollection(db.sql, u.id, 'Uploads', '')
    uploadTo.set(u.id, own)
  }
  return { users, uploadTo, collections: seeded.map((s) => s.collectionId), videos: seeded.map((s) => s.videoId) }
}
