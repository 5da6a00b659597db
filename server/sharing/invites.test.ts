// Invitations by email (over real SMTP) and by link: joining, every way an
// invitation can be no good, the last use of a link taken twice at once, the
// hourly budget, and answers that never tell whether an address has an account.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { caller, makeCollection, makeUser, type TestUser } from '../../testing/factories.ts'
import { linkIn, startTestSmtp, type TestSmtp } from '../../testing/smtpServer.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { startTestWorker } from '../../testing/testWorker.ts'
import type { Email } from '../platform/mailer.ts'
import type { JobQueue } from '../platform/jobQueue.ts'
import { deliverInvitation } from './invitationMail.ts'

let smtp: TestSmtp
let ctx: TestApp
let call: ReturnType<typeof caller>
let owner: TestUser
// Invitation email leaves through the worker's mail queue.
let worker: JobQueue

beforeAll(async () => {
  smtp = await startTestSmtp()
  ctx = await createTestApp({ SMTP_URL: smtp.url })
  worker = await startTestWorker(ctx)
  call = caller(ctx.app)
  owner = await makeUser(ctx.db.sql, ctx.config, 'owner')
})
afterAll(async () => {
  await worker.stop({ timeoutMs: 1000 })
  await ctx.close()
  await smtp.stop()
})

const invite = (collectionId: string, emails: string[], role = 'viewer') =>
  call(owner, `/api/collections/${collectionId}/invites`, { method: 'POST', json: { emails, role } })
const tokenFor = async (email: string) => {
  const mail = await smtp.waitFor((m) => m.to.includes(email))
  smtp.messages.splice(smtp.messages.indexOf(mail), 1)
  return linkIn(mail, `${ctx.config.PUBLIC_URL}/invite/`).split('/invite/')[1]!
}
const join = (user: TestUser, token: string) => call(user, `/api/join/${token}`, { method: 'POST' })
const problem = async (res: Response) => ({ status: res.status, code: (await res.json()).code })

describe('inviting by email', () => {
  test('the invitee gets one email whose link joins them with the role, once; the owner sees it pending until then', async () => {
    const collectionId = await makeCollection(ctx, owner, { name: 'Lectures' })
    const bob = await makeUser(ctx.db.sql, ctx.config, 'bob')
    const res = await invite(collectionId, [bob.email.toUpperCase()])
    expect(res.status).toBe(201)
    expect((await res.json()).invites).toMatchObject([{ email: bob.email, role: 'viewer', expired: false }])
    expect((await (await call(owner, `/api/collections/${collectionId}/invites`)).json()).map((i: { email: string }) => i.email)).toEqual([
      bob.email,
    ])

    const token = await tokenFor(bob.email)
    const preview = await ctx.app.handle(request(`/api/join/${token}`))
    expect(await preview.json()).toEqual({
      kind: 'email',
      status: 'open',
      role: 'viewer',
      collectionName: 'Lectures',
      invitedBy: 'owner',
      email: bob.email,
    })

    const joined = await join(bob, token)
    expect(await joined.json()).toEqual({ collectionId, role: 'viewer', alreadyMember: false })
    expect((await (await call(bob, `/api/collections/${collectionId}`)).json()).role).toBe('viewer')
    expect(await (await call(owner, `/api/collections/${collectionId}/invites`)).json()).toEqual([])
    expect(await problem(await join(bob, token))).toEqual({ status: 410, code: 'invite_used' })
    expect(await (await ctx.app.handle(request(`/api/join/${token}`))).json()).toMatchObject({ status: 'used', collectionName: null })
  })

  test('the answer and the email are the same whether or not an address has an account', async () => {
    const collectionId = await makeCollection(ctx, owner, { name: 'Secrets' })
    const known = await makeUser(ctx.db.sql, ctx.config, 'known')
    const unknown = `nobody-${crypto.randomUUID().slice(0, 8)}@example.com`
    const body = await (await invite(collectionId, [known.email, unknown])).json()
    const shape = (i: Record<string, unknown>) => Object.keys(i).sort().join()
    expect(body.invites.map(shape)).toEqual([shape(body.invites[0]), shape(body.invites[0])])
    const texts = await Promise.all(
      [known.email, unknown].map(async (email) => {
        const mail = await smtp.waitFor((m) => m.to.includes(email))
        return mail.raw
          .replace(/=\r?\n/g, '')
          .split(/\r?\n\r?\n/)
          .slice(1)
          .join('\n')
          .replace(/\/invite\/[A-Za-z0-9_-]+/, '/invite/TOKEN')
      }),
    )
    expect(texts[0]).toBe(texts[1]!)
    expect(body.alreadyMembers).toEqual([])
  })

  test('an email invitation is only for the account with its address, and says which address that is', async () => {
    const collectionId = await makeCollection(ctx, owner)
    const carol = await makeUser(ctx.db.sql, ctx.config, 'carol')
    const mallory = await makeUser(ctx.db.sql, ctx.config, 'mallory')
    await invite(collectionId, [carol.email])
    const token = await tokenFor(carol.email)
    const wrong = await join(mallory, token)
    expect(wrong.status).toBe(403)
    const body = await wrong.json()
    expect(body.code).toBe('invite_wrong_account')
    expect(body.detail).toContain(carol.email)
    expect((await call(mallory, `/api/collections/${collectionId}`)).status).toBe(404)
    expect((await join(carol, token)).status).toBe(200)
  })

  test('expired and revoked invitations say so and join nobody', async () => {
    const collectionId = await makeCollection(ctx, owner)
    const dave = await makeUser(ctx.db.sql, ctx.config, 'dave')
    const erin = await makeUser(ctx.db.sql, ctx.config, 'erin')
    const [daveInvite, erinInvite] = (await (await invite(collectionId, [dave.email, erin.email])).json()).invites
    const [daveToken, erinToken] = [await tokenFor(dave.email), await tokenFor(erin.email)]

    await ctx.db.sql`update invites set expires_at = now() - interval '1 second' where id = ${daveInvite.id}`
    expect(await (await ctx.app.handle(request(`/api/join/${daveToken}`))).json()).toMatchObject({
      status: 'expired',
      collectionName: null,
      email: null,
    })
    expect(await problem(await join(dave, daveToken))).toEqual({ status: 410, code: 'invite_expired' })
    expect(await (await call(dave, '/api/invitations')).json()).toEqual([])
    expect(
      (await (await call(owner, `/api/collections/${collectionId}/invites`)).json()).find((i: { id: string }) => i.id === daveInvite.id)
        .expired,
    ).toBe(true)

    expect((await call(owner, `/api/collections/${collectionId}/invites/${erinInvite.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await (await ctx.app.handle(request(`/api/join/${erinToken}`))).json()).status).toBe('revoked')
    expect(await problem(await join(erin, erinToken))).toEqual({ status: 410, code: 'invite_revoked' })
    expect((await call(erin, `/api/collections/${collectionId}`)).status).toBe(404)
    expect((await ctx.app.handle(request('/api/join/not-a-real-token-at-all-000000000'))).status).toBe(404)
  })

  test('resending mails a new link, the old one stops working, and the invitation runs 7 more days', async () => {
    const collectionId = await makeCollection(ctx, owner)
    const frank = await makeUser(ctx.db.sql, ctx.config, 'frank')
    const { id } = (await (await invite(collectionId, [frank.email])).json()).invites[0]
    const first = await tokenFor(frank.email)
    await ctx.db.sql`update invites set expires_at = now() + interval '1 hour' where id = ${id}`
    const resent = await (await call(owner, `/api/collections/${collectionId}/invites/${id}/resend`, { method: 'POST' })).json()
    expect(new Date(resent.expiresAt).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000)
    const second = await tokenFor(frank.email)
    expect((await join(frank, first)).status).toBe(404)
    expect((await join(frank, second)).status).toBe(200)
  })
  test('the request only queues the email: the job names the invitation, never a token; a job for a revoked invitation sends nothing', async () => {
    const collectionId = await makeCollection(ctx, owner)
    const { id } = (await (await invite(collectionId, ['queued@example.com'])).json()).invites[0]
    const jobs = await ctx.db.sql`select data from pgboss.job where name = 'mail' and data->>'inviteId' = ${id}`
    expect(jobs.map((j) => j.data)).toEqual([{ kind: 'invitation', inviteId: id, inviterId: owner.id }])
    await tokenFor('queued@example.com')
    expect((await call(owner, `/api/collections/${collectionId}/invites/${id}`, { method: 'DELETE' })).status).toBe(204)
    const sent: Email[] = []
    await deliverInvitation(
      { sql: ctx.db.sql, mailer: { send: async (e) => void sent.push(e) }, publicUrl: ctx.config.PUBLIC_URL },
      { inviteId: id, inviterId: owner.id },
    )
    expect(sent).toEqual([])
  })
})

describe('invitations in the app', () => {
  test('a verified address sees its invitations and accepts or declines them there', async () => {
    const [a, b] = [await makeCollection(ctx, owner, { name: 'A' }), await makeCollection(ctx, owner, { name: 'B' })]
    const gina = await makeUser(ctx.db.sql, ctx.config, 'gina')
    await invite(a, [gina.email], 'editor')
    await invite(b, [gina.email])
    const mine = await (await call(gina, '/api/invitations')).json()
    expect(
      mine.map((i: { collectionName: string; role: string; invitedBy: string }) => [i.collectionName, i.role, i.invitedBy]).sort(),
    ).toEqual([
      ['A', 'editor', 'owner'],
      ['B', 'viewer', 'owner'],
    ])
    const byName = Object.fromEntries(mine.map((i: { collectionName: string; id: string }) => [i.collectionName, i.id]))
    expect(await (await call(gina, `/api/invitations/${byName.A}/accept`, { method: 'POST' })).json()).toEqual({
      collectionId: a,
      role: 'editor',
      alreadyMember: false,
    })
    expect((await call(gina, `/api/invitations/${byName.B}/decline`, { method: 'POST' })).status).toBe(204)
    expect((await call(gina, `/api/collections/${b}`)).status).toBe(404)
    expect(await (await call(gina, '/api/invitations')).json()).toEqual([])
    // Someone else cannot answer them, and learns nothing from trying.
    const other = await makeUser(ctx.db.sql, ctx.config, 'other')
    expect((await call(other, `/api/invitations/${byName.A}/accept`, { method: 'POST' })).status).toBe(404)
  })

  test('an unverified address must use the emailed link, which verifies it', async () => {
    const collectionId = await makeCollection(ctx, owner)
    const hank = await makeUser(ctx.db.sql, ctx.config, 'hank', { verified: false })
    const { id } = (await (await invite(collectionId, [hank.email])).json()).invites[0]
    expect(await (await call(hank, '/api/invitations')).json()).toEqual([])
    expect(await problem(await call(hank, `/api/invitations/${id}/accept`, { method: 'POST' }))).toEqual({
      status: 403,
      code: 'email_unverified',
    })
    expect((await join(hank, await tokenFor(hank.email))).status).toBe(200)
    expect((await (await call(hank, '/api/auth/me')).json()).emailVerified).toBe(true)
  })
})

describe('invitation links', () => {
  const makeLink = async (collectionId: string, json: Record<string, unknown>) => {
    const res = await call(owner, `/api/collections/${collectionId}/links`, { method: 'POST', json })
    expect(res.status).toBe(201)
    const link = await res.json()
    return { ...link, token: link.url.split('/invite/')[1] as string }
  }

  test('anyone signed in joins with the link’s role until its uses run out; a member opening it again uses nothing', async () => {
    const collectionId = await makeCollection(ctx, owner)
    const link = await makeLink(collectionId, { role: 'editor', maxUses: 2, expiresInDays: 3 })
    expect(link).toMatchObject({ role: 'editor', maxUses: 2, useCount: 0, status: 'active' })
    const [ivy, jack, kim] = [
      await makeUser(ctx.db.sql, ctx.config, 'ivy'),
      await makeUser(ctx.db.sql, ctx.config, 'jack'),
      await makeUser(ctx.db.sql, ctx.config, 'kim'),
    ]
    expect((await (await join(ivy, link.token)).json()).role).toBe('editor')
    expect((await (await join(ivy, link.token)).json()).alreadyMember).toBe(true)
    expect((await join(jack, link.token)).status).toBe(200)
    expect(await problem(await join(kim, link.token))).toEqual({ status: 410, code: 'invite_used' })
    const [listed] = await (await call(owner, `/api/collections/${collectionId}/links`)).json()
    expect(listed).toMatchObject({ useCount: 2, status: 'used_up' })
    expect(JSON.stringify(listed)).not.toContain(link.token)
  })

  test('of two people taking the last use of a link at once, exactly one gets in', async () => {
    for (let round = 0; round < 4; round++) {
      const collectionId = await makeCollection(ctx, owner)
      const link = await makeLink(collectionId, { role: 'viewer', maxUses: 1 })
      const [x, y] = [await makeUser(ctx.db.sql, ctx.config, 'x'), await makeUser(ctx.db.sql, ctx.config, 'y')]
      const answers = await Promise.all([join(x, link.token), join(y, link.token)])
      expect(answers.map((r) => r.status).sort()).toEqual([200, 410])
      const n = (
        await ctx.db.sql<{ n: number }[]>`select count(*)::int as n from collection_members where collection_id = ${collectionId}`
      )[0]!.n
      expect(n).toBe(2)
      const useCount = (await ctx.db.sql<{ useCount: number }[]>`select use_count from invites where id = ${link.id}`)[0]!.useCount
      expect(useCount).toBe(1)
    }
  })

  test('revoked and expired links say so', async () => {
    const collectionId = await makeCollection(ctx, owner)
    const revoked = await makeLink(collectionId, { role: 'viewer' })
    const expired = await makeLink(collectionId, { role: 'viewer', expiresInDays: 1 })
    await ctx.db.sql`update invites set expires_at = now() - interval '1 second' where id = ${expired.id}`
    expect((await call(owner, `/api/collections/${collectionId}/links/${revoked.id}`, { method: 'DELETE' })).status).toBe(204)
    const lee = await makeUser(ctx.db.sql, ctx.config, 'lee')
    expect(await problem(await join(lee, revoked.token))).toEqual({ status: 410, code: 'invite_revoked' })
    expect(await problem(await join(lee, expired.token))).toEqual({ status: 410, code: 'invite_expired' })
    expect(await (await ctx.app.handle(request(`/api/join/${revoked.token}`))).json()).toMatchObject({
      kind: 'link',
      status: 'revoked',
      collectionName: null,
    })
    expect(
      (await (await call(owner, `/api/collections/${collectionId}/links`)).json()).map((l: { id: string; status: string }) => [
        l.id,
        l.status,
      ]),
    ).toEqual([[expired.id, 'expired']])
  })
})

test('inviting is limited to 50 addresses an hour per person, and a refused batch invites nobody', async () => {
  const busy = await makeUser(ctx.db.sql, ctx.config, 'busy')
  const collectionId = await makeCollection(ctx, busy)
  const batch = (n: number, from: number) => Array.from({ length: n }, (_, i) => `guest${from + i}-${busy.id.slice(0, 8)}@example.com`)
  const first = await call(busy, `/api/collections/${collectionId}/invites`, {
    method: 'POST',
    json: { emails: batch(45, 0), role: 'viewer' },
  })
  expect(first.status).toBe(201)
  const over = await call(busy, `/api/collections/${collectionId}/invites`, {
    method: 'POST',
    json: { emails: batch(10, 45), role: 'viewer' },
  })
  expect(over.status).toBe(429)
  expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0)
  expect((await (await call(busy, `/api/collections/${collectionId}/invites`)).json()).length).toBe(45)
  expect(
    (await call(busy, `/api/collections/${collectionId}/invites`, { method: 'POST', json: { emails: batch(5, 45), role: 'viewer' } }))
      .status,
  ).toBe(201)
})
