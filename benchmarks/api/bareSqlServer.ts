// The physical floor of GET /api/collections on this box: a bare Bun.serve
// that runs the endpoint's own query (listCollections from the product's
// sql.ts, same driver, same pool settings, same JSON view) for a fixed user,
// with no framework, no authentication and no session read. The api's
// figures over this one say what everything else costs.
import { listCollections } from '../../server/collections/sql.ts'
import { collectionView } from '../../server/collections/views.ts'
import { createSql } from '../../server/platform/db.ts'

const sql = createSql(process.env.DATABASE_URL!, { max: Number(process.env.DB_POOL_MAX ?? 10), applicationName: 'knowledgetree-bare' })
const userId = process.env.BENCH_USER_ID!
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  fetch: async () => Response.json((await listCollections(sql, userId)).map(collectionView)),
})
process.on('SIGTERM', () => {
  void server.stop(true)
  void sql.end({ timeout: 1 }).then(() => process.exit(0))
})
