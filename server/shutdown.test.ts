import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { startTcpProxy, type TcpProxy } from '../testing/tcpProxy.ts'
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts'

let db: TestDatabase
let proxy: TcpProxy

beforeAll(async () => {
  db = await createTestDatabase()
  const u = new URL(db.url)
  proxy = startTcpProxy({ host: u.hostname, port: Number(u.port) })
})
afterAll(async () => {
  proxy.stop()
  await db.drop()
})

// Reads the api's log until it says where it listens, then keeps draining it
// (a closed pipe would kill the child on its next log line).
async function waitForListening(stdout: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stdout.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) throw new Error('api exited before listening:\n' + buffer)
    buffer += decoder.decode(value)
    const m = /"msg":"api listening"[^\n]*"url":"([^"]+)"/.exec(buffer)
    if (m) {
      void (async () => {
        while (!(await reader.read()).done);
      })()
      return m[1]!
    }
  }
}

describe('graceful shutdown', () => {
  test('a slow request in flight at SIGTERM completes, and new connections are refused', async () => {
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, 'main.ts')], {
      env: {
        ...process.env,
        DATABASE_URL: proxy.url(db.url),
        PORT: '0',
        LOG_LEVEL: 'info',
        JWT_SECRET: 'x'.repeat(40),
        WEB_DIST_DIR: '/nonexistent',
      },
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const base = await waitForListening(proc.stdout)
    expect((await fetch(`${base}/readyz`)).status).toBe(200)

    // Every database round trip now takes 700 ms, so /readyz stays in flight.
    proxy.setDelay(700)
    const slow = fetch(`${base}/readyz`).then(async (r) => ({ status: r.status, body: await r.json() }))
    await Bun.sleep(300)
    proc.kill('SIGTERM')
    await Bun.sleep(200)

    const refused = await fetch(`${base}/healthz`).then(
      () => 'answered',
      () => 'refused',
    )
    expect(refused).toBe('refused')

    const done = await slow
    expect([200, 503]).toContain(done.status)
    expect(done.body.status).toBeDefined()
    proxy.setDelay(0)
    expect(await proc.exited).toBe(0)
  }, 30_000)
})
