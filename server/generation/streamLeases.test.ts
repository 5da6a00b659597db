import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { createLogger } from '../platform/logger.ts'
import { expiredLeases } from './sql.ts'
import { createStreamHub, type StreamHub } from './streamHub.ts'

let db: TestDatabase
let hub: StreamHub

beforeAll(async () => {
  db = await createTestDatabase()
  hub = createStreamHub(db.sql, { mode: 'listen', logger: createLogger('error'), leaseSeconds: 30 })
})
afterAll(async () => {
  await hub.shutdown()
  await db.drop()
})

const leases = async () =>
  new Map(
    (await db.sql<{ streamId: string; leaseUntil: Date }[]>`select stream_id, lease_until from generation_leases`).map((r) => [
      r.streamId,
      r.leaseUntil.getTime(),
    ]),
  )

/** Polls (bounded) until the leases satisfy `ok`. */
async function leasesWhen(ok: (l: Map<string, number>) => boolean): Promise<Map<string, number>> {
  for (let i = 0; i < 200; i++) {
    const l = await leases()
    if (ok(l)) return l
    await Bun.sleep(25)
  }
  throw new Error(`leases never got there: ${JSON.stringify([...(await leases())])}`)
}

test('a starting stream takes its own lease without renewing the others, and an ended one is released with the next pass', async () => {
  const [a, b, c] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()]
  hub.open(a)
  const first = await leasesWhen((l) => l.has(a))
  // Postgres' now() moves on: a renewal of a's lease would show as a later lease_until.
  await Bun.sleep(50)
  hub.open(b)
  const second = await leasesWhen((l) => l.has(b))
  expect(second.get(a)).toBe(first.get(a)!)
  expect(second.get(b)!).toBeGreaterThan(first.get(a)!)

  await hub.emit(a, 'done', {})
  hub.close(a)
  hub.open(c)
  const third = await leasesWhen((l) => l.has(c))
  expect(third.has(a)).toBe(false)
  expect(third.get(b)).toBe(second.get(b)!)
})

test('a lease taken in the transaction that creates a stream runs out when the stream never starts (its instance died in between), and only then', async () => {
  const short = createStreamHub(db.sql, { mode: 'listen', logger: createLogger('error'), leaseSeconds: 1 })
  try {
    const [orphan, started] = [crypto.randomUUID(), crypto.randomUUID()]
    await db.sql.begin(async (tx) => {
      await short.lease(tx, orphan)
      await short.lease(tx, started)
    })
    // Committed with the stream's row: the lease exists before any generation runs.
    expect([...(await leases()).keys()]).toEqual(expect.arrayContaining([orphan, started]))
    short.open(started)
    const expired = async () => new Set(await expiredLeases(db.sql))
    for (let i = 0; i < 200 && !(await expired()).has(orphan); i++) await Bun.sleep(25)
    const now = await expired()
    expect(now.has(orphan)).toBe(true)
    // The started stream's owner keeps renewing it (every third of the lease).
    expect(now.has(started)).toBe(false)
  } finally {
    await short.shutdown()
  }
})
