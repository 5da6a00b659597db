// Account email leaves through the `mail` queue: a request only enqueues (so an
// existing and an unknown address cost the request the same work, and a slow
// SMTP server slows no request); the worker sends, retries, and dead-letters.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Glob } from 'bun'
import { join } from 'node:path'
import { makeUser } from '../../testing/factories.ts'
import { startTestSmtp, type TestSmtp } from '../../testing/smtpServer.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { startTestWorker } from '../../testing/testWorker.ts'

let ctx: TestApp
let smtp: TestSmtp
const origin = { origin: 'http://localhost:3000' }

beforeAll(async () => {
  smtp = await startTestSmtp()
  ctx = await createTestApp({ SMTP_URL: smtp.url })
})
afterAll(async () => {
  await ctx.close()
  await smtp.stop()
})

const post = (path: string, json: unknown, ip: string) => ctx.app.handle(request(path, { method: 'POST', json, headers: origin, peer: ip }))
const mailJobs = (where: string) =>
  ctx.db.sql<
    { data: Record<string, unknown>; state: string }[]
  >`select data, state from pgboss.job where name = 'mail' and data::text like ${`%${where}%`} order by created_on`

describe('the request path', () => {
  test('a reset request for an existing and for an unknown address each enqueue one job naming only the address, and send nothing', async () => {
    const known = await makeUser(ctx.db.sql, ctx.config)
    const unknown = `ghost-${crypto.randomUUID()}@example.com`
    expect((await post('/api/auth/password-reset', { email: known.email }, '192.0.2.10')).status).toBe(202)
    expect((await post('/api/auth/password-reset', { email: unknown }, '192.0.2.10')).status).toBe(202)
    // No worker runs in this app: had a request sent anything, it would be here.
    expect(smtp.messages).toEqual([])
    const jobs = [...(await mailJobs(known.email)), ...(await mailJobs(unknown))]
    expect(jobs.map((j) => j.data.kind)).toEqual(['password-reset', 'password-reset'])
    expect(jobs.map((j) => j.data.email)).toEqual([known.email, unknown])
    // No token in the job table: the worker mints it when it sends.
    const tokens = await ctx.db.sql`select 1 from email_tokens where email in ${ctx.db.sql([known.email, unknown])}`
    expect(tokens).toHaveLength(0)
  })

  test('sign-up with a new and with a taken address each enqueue one job', async () => {
    const taken = await makeUser(ctx.db.sql, ctx.config)
    const fresh = `new-${crypto.randomUUID()}@example.com`
    await post('/api/auth/signup', { email: fresh, password: 'tidy ledger lamp 42' }, '192.0.2.11')
    await post('/api/auth/signup', { email: taken.email, password: 'tidy ledger lamp 42' }, '192.0.2.11')
    const [created] = await ctx.db.sql<{ id: string }[]>`select id from users where email = ${fresh}`
    expect((await mailJobs(created!.id)).map((j) => j.data)).toEqual([{ kind: 'verify-email', userId: created!.id }])
    expect((await mailJobs(taken.email)).map((j) => j.data)).toEqual([{ kind: 'already-registered', email: taken.email }])
    expect(smtp.messages).toEqual([])
  })

  test('no server module sends email: only the mail job uses the mailer', async () => {
    const root = join(import.meta.dir, '..', '..')
    const senders: string[] = []
    for await (const file of new Glob('{server,jobs}/**/*.ts').scan(root)) {
      if (file.endsWith('.test.ts')) continue
      const text = await Bun.file(join(root, file)).text()
      if (/createMailer\(|mailer\.send\(/.test(text)) senders.push(file)
    }
    expect(senders.sort()).toEqual([
      'jobs/queues/mail.ts',
      'server/auth/accountMail.ts',
      'server/platform/mailer.ts',
      'server/sharing/invitationMail.ts',
    ])
  })
})

describe('the worker', () => {
  test('sends the reset link to the existing address only, and the link works once', async () => {
    const worker = await startTestWorker(ctx)
    try {
      const known = await makeUser(ctx.db.sql, ctx.config)
      const unknown = `ghost-${crypto.randomUUID()}@example.com`
      await post('/api/auth/password-reset', { email: unknown }, '192.0.2.12')
      await post('/api/auth/password-reset', { email: known.email }, '192.0.2.12')
      const mail = await smtp.waitFor((m) => m.to.includes(known.email))
      expect(mail.raw).toContain('reset-password?token')
      // Both jobs are done; the unknown address got nothing.
      for (const email of [known.email, unknown]) {
        for (let i = 0; i < 200 && (await mailJobs(email)).some((j) => j.state !== 'completed'); i++) await Bun.sleep(50)
        expect((await mailJobs(email)).map((j) => j.state)).toContain('completed')
      }
      expect(smtp.messages.filter((m) => m.to.includes(unknown))).toEqual([])
    } finally {
      await worker.stop({ timeoutMs: 1000 })
    }
  })

  test('an SMTP server that refuses connections: the job is retried, then lands in mail.dead', async () => {
    const down = await createTestApp({ SMTP_URL: 'smtp://127.0.0.1:9' })
    const worker = await startTestWorker(down, {
      policies: { mail: { retryLimit: 1, retryDelay: 1, retryBackoff: true, retryDelayMax: 1 } },
    })
    try {
      const user = await makeUser(down.db.sql, down.config)
      await down.app.handle(
        request('/api/auth/password-reset', { method: 'POST', json: { email: user.email }, headers: origin, peer: '192.0.2.13' }),
      )
      let dead: { retryCount: number }[] = []
      for (let i = 0; i < 300 && dead.length === 0; i++) {
        dead = await down.db.sql<
          { retryCount: number }[]
        >`select retry_count from pgboss.job where name = 'mail.dead' and data->>'email' = ${user.email}`
        if (dead.length === 0) await Bun.sleep(100)
      }
      expect(dead).toHaveLength(1)
      const [failed] = await down.db.sql<
        { state: string; retryCount: number }[]
      >`select state, retry_count from pgboss.job where name = 'mail' and data->>'email' = ${user.email}`
      expect(failed).toEqual({ state: 'failed', retryCount: 1 })
    } finally {
      await worker.stop({ timeoutMs: 1000 })
      await down.close()
    }
  }, 60_000)
})
