// Who pays, and the members-per-collection check sharing will call.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { makeUser } from '../../testing/factories.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { assertCanAddMembers, payerFor } from './attribution.ts'
import { billingFor } from './billing.ts'
import { QuotaExceededError } from './quotas.ts'
import { setManualPlan } from './sql.ts'

let ctx: TestApp
beforeAll(async () => {
  ctx = await createTestApp({ DEFAULT_PLAN: 'free' })
})
afterAll(() => ctx.close())

test('the owner pays for videos, minutes and storage; the asker for messages', async () => {
  const [owner, member] = [await makeUser(ctx.db.sql, ctx.config), await makeUser(ctx.db.sql, ctx.config)]
  const { id: collectionId } = (await (
    await ctx.app.handle(request('/api/collections', { method: 'POST', headers: owner.bearer, json: { name: 'Shared' } }))
  ).json()) as { id: string }
  for (const dimension of ['videos', 'minutes', 'storage_bytes'] as const)
    expect(await payerFor(ctx.db.sql, dimension, { collectionId, actorId: member.id })).toBe(owner.id)
  expect(await payerFor(ctx.db.sql, 'messages', { collectionId, actorId: member.id })).toBe(member.id)
})

test('members per collection follow the owner’s plan (the owner counts)', async () => {
  const billing = billingFor(ctx.config)
  const [owner, a, b] = [
    await makeUser(ctx.db.sql, ctx.config),
    await makeUser(ctx.db.sql, ctx.config),
    await makeUser(ctx.db.sql, ctx.config),
  ]
  const { id: collectionId } = (await (
    await ctx.app.handle(request('/api/collections', { method: 'POST', headers: owner.bearer, json: { name: 'Team' } }))
  ).json()) as { id: string }
  await assertCanAddMembers(ctx.db.sql, billing, collectionId)
  await ctx.db.sql`insert into collection_members (collection_id, user_id, role) values (${collectionId}, ${a.id}, 'viewer')`
  const refused = await assertCanAddMembers(ctx.db.sql, billing, collectionId).catch((e) => e)
  expect(refused).toBeInstanceOf(QuotaExceededError)
  expect((refused as QuotaExceededError).extras).toMatchObject({ dimension: 'members', limit: 2, used: 2 })
  await setManualPlan(ctx.db.sql, owner.id, 'starter')
  await assertCanAddMembers(ctx.db.sql, billing, collectionId, 3)
  await expect(assertCanAddMembers(ctx.db.sql, billing, collectionId, 4)).rejects.toBeInstanceOf(QuotaExceededError)
  expect(b.id).toBeTruthy()
})
