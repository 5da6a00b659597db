// Every membership change lands in the collection's activity log, with who
// did it to whom; and a plan's members-per-collection limit holds at joining.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { caller, makeCollection, makeUser, type TestUser } from '../../testing/factories.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'

let ctx: TestApp
let call: ReturnType<typeof caller>
let owner: TestUser

beforeAll(async () => {
  // The free plan allows 2 members per collection, the owner included.
  ctx = await createTestApp({ DEFAULT_PLAN: 'free' })
  call = caller(ctx.app)
  owner = await makeUser(ctx.db.sql, ctx.config, 'owner')
})
afterAll(() => ctx.close())

const post = (user: TestUser, path: string, json?: unknown) => call(user, path, { method: 'POST', json })
const linkToken = async (collectionId: string, role: string) =>
  ((await (await post(owner, `/api/collections/${collectionId}/links`, { role })).json()).url as string).split('/invite/')[1]!

test('each change is logged with its actor, subject and role, newest first, pages with `before`', async () => {
  const collectionId = await makeCollection(ctx, owner)
  const ann = await makeUser(ctx.db.sql, ctx.config, 'ann')
  const base = `/api/collections/${collectionId}`
  const invited = (await (await post(owner, `${base}/invites`, { emails: ['guest@example.com'], role: 'viewer' })).json()).invites[0]
  await post(owner, `${base}/invites/${invited.id}/resend`)
  await call(owner, `${base}/invites/${invited.id}`, { method: 'DELETE' })
  const link = await (await post(owner, `${base}/links`, { role: 'editor' })).json()
  await call(owner, `${base}/links/${link.id}`, { method: 'DELETE' })
  await post(ann, `/api/join/${await linkToken(collectionId, 'viewer')}`)
  await call(owner, `${base}/members/${ann.id}`, { method: 'PATCH', json: { role: 'editor' } })
  await post(owner, `${base}/transfer`, { userId: ann.id })
  await post(owner, `${base}/leave`)

  const log = await (await call(ann, `${base}/activity`)).json()
  const rows = log.items.map(
    (e: {
      action: string
      actor: { displayName: string } | null
      subject: { displayName: string | null; email: string | null } | null
      role: string | null
    }) => [e.action, e.actor?.displayName, e.subject?.displayName ?? e.subject?.email ?? null, e.role],
  )
  expect(rows).toEqual([
    ['left', 'owner', 'owner', 'editor'],
    ['ownership_transferred', 'owner', 'ann', 'owner'],
    ['role_changed', 'owner', 'ann', 'editor'],
    ['joined', 'ann', 'ann', 'viewer'],
    ['link_created', 'owner', null, 'viewer'],
    ['link_revoked', 'owner', null, 'editor'],
    ['link_created', 'owner', null, 'editor'],
    ['invite_revoked', 'owner', 'guest@example.com', 'viewer'],
    ['invite_resent', 'owner', 'guest@example.com', 'viewer'],
    ['invited', 'owner', 'guest@example.com', 'viewer'],
  ])
  expect(log.items[2].detail).toEqual({ from: 'viewer' })
  const page = await (await call(ann, `${base}/activity?limit=4`)).json()
  const next = await (await call(ann, `${base}/activity?limit=4&before=${page.nextBefore}`)).json()
  expect([...page.items, ...next.items].map((e: { id: number }) => e.id)).toEqual(log.items.slice(0, 8).map((e: { id: number }) => e.id))
})

test('removals and declined invitations are logged too', async () => {
  const collectionId = await makeCollection(ctx, owner)
  const cid = await makeUser(ctx.db.sql, ctx.config, 'cid')
  const base = `/api/collections/${collectionId}`
  await post(owner, `${base}/invites`, { emails: [cid.email], role: 'viewer' })
  const [invitation] = await (await call(cid, '/api/invitations')).json()
  await post(cid, `/api/invitations/${invitation.id}/decline`)
  await post(cid, `/api/join/${await linkToken(collectionId, 'viewer')}`)
  await call(owner, `${base}/members/${cid.id}`, { method: 'DELETE' })
  const actions = (await (await call(owner, `${base}/activity`)).json()).items.map((e: { action: string }) => e.action)
  expect(actions.slice(0, 4)).toEqual(['removed', 'joined', 'link_created', 'invite_declined'])
})

test('joining past the owner’s plan limit on members is refused (402) and uses nothing', async () => {
  const collectionId = await makeCollection(ctx, owner)
  const token = await linkToken(collectionId, 'viewer')
  const [dee, eve] = [await makeUser(ctx.db.sql, ctx.config, 'dee'), await makeUser(ctx.db.sql, ctx.config, 'eve')]
  expect((await post(dee, `/api/join/${token}`)).status).toBe(200)
  const refused = await post(eve, `/api/join/${token}`)
  expect(refused.status).toBe(402)
  expect((await refused.json()).code).toBe('quota_exceeded')
  const useCount = (await ctx.db.sql<{ useCount: number }[]>`select use_count from invites where collection_id = ${collectionId}`)[0]!
    .useCount
  expect(useCount).toBe(1)
  // Inviting more addresses than there are seats is refused up front.
  expect((await post(owner, `/api/collections/${collectionId}/invites`, { emails: ['one@example.com'], role: 'viewer' })).status).toBe(402)
})
