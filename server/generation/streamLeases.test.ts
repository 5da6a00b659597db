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

test('starting a stream writes no lease (it was taken with its row); the timer renews the running ones and drops the ended ones', async () => {
  // Every statement the hub sends, to see that starting a stream sends none about leases.
  const sent: string[] = []
  const watched = new Proxy(db.sql, {
    apply: (target, self, args: [TemplateStringsArray, ...unknown[]]) => {
      sent.push(args[0].join('?'))
      return Reflect.apply(target, self, args)
    },
  })
  const short = createStreamHub(watched, { mode: 'listen', logger: createLogger('error'), leaseSeconds: 3 })
  try {
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()]
    await db.sql.begin(async (tx) => {
      await short.lease(tx, a)
      await short.lease(tx, b)
    })
    const first = await leases()
    short.open(a)
    short.open(b)
    await short.emit(a, 'done', {})
    short.close(a)
    expect(sent.filter((s) => s.includes('generation_leases'))).toEqual([])
    // The next pass (every second with 3 s leases) renews b and drops a.
    const later = await leasesWhen((l) => !l.has(a) && l.get(b)! > first.get(b)!)
    expect(later.has(b)).toBe(true)
  } finally {
    await short.shutdown()
  }
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
