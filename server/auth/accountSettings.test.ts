// The account settings routes on real Postgres: display name, password change
// (ends the other sessions), and account deletion (everything owned, in one
// transaction; refused while a paid plan renews).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { makeCollection, makeUser, responseCookies, type TestUser } from '../../testing/factories.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'

let ctx: TestApp
beforeAll(async () => {
  ctx = await createTestApp()
})
afterAll(() => ctx.close())

const user = (name = 'settings') => makeUser(ctx.db.sql, ctx.config, name)
const count = async (query: Promise<{ n: number }[]>) => (await query)[0]!.n

describe('display name', () => {
  test('is changed, trimmed and shown by /me; a blank one is refused', async () => {
    const ada = await user()
    const res = await ctx.call(ada, '/api/auth/me', { method: 'PATCH', json: { displayName: '  Ada   Lovelace ' } })
    expect(res.status).toBe(200)
    expect((await res.json()).displayName).toBe('Ada Lovelace')
    expect((await (await ctx.call(ada, '/api/auth/me')).json()).displayName).toBe('Ada Lovelace')
    const blank = await ctx.call(ada, '/api/auth/me', { method: 'PATCH', json: { displayName: '   ' } })
    expect(blank.status).toBe(422)
    expect((await blank.json()).code).toBe('display_name_invalid')
  })
})

describe('password change', () => {
  test('needs the current password, ends every other session and keeps this one', async () => {
    const ada = await user()
    const [other] = await ctx.db.sql<{ id: string }[]>`
      insert into sessions (user_id, expires_at) values (${ada.id}, now() + interval '1 day') returning id`
    const wrong = await ctx.call(ada, '/api/auth/password', {
      method: 'POST',
      json: { currentPassword: 'not the password', newPassword: 'a brand new passphrase' },
    })
    expect(wrong.status).toBe(403)
    expect((await wrong.json()).code).toBe('password_wrong')
    const weak = await ctx.call(ada, '/api/auth/password', {
      method: 'POST',
      json: { currentPassword: ada.password, newPassword: 'short' },
    })
    expect(weak.status).toBe(422)

    const ok = await ctx.call(ada, '/api/auth/password', {
      method: 'POST',
      json: { currentPassword: ada.password, newPassword: 'a brand new passphrase' },
    })
    expect(ok.status).toBe(200)
    expect((await ok.json()).endedSessions).toBe(1)
    const sessions = await ctx.db.sql<{ id: string; live: boolean }[]>`
      select id, revoked_at is null as live from sessions where user_id = ${ada.id} order by id`
    expect(sessions.find((s) => s.id === other!.id)!.live).toBe(false)
    expect(sessions.find((s) => s.id === ada.sessionId)!.live).toBe(true)
    expect((await ctx.call(ada, '/api/auth/me')).status).toBe(200)
    // The new password signs in; the old one does not.
    const login = (password: string) =>
      ctx.app.handle(
        new Request('http://localhost/api/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
          body: JSON.stringify({ email: ada.email, password }),
        }),
      )
    expect((await login(ada.password)).status).toBe(401)
    expect((await login('a brand new passphrase')).status).toBe(200)
  })

  test('five wrong current passwords lock the check for a while', async () => {
    const ada = await user()
    const attempt = () =>
      ctx.call(ada, '/api/auth/password', { method: 'POST', json: { currentPassword: 'guess', newPassword: 'a brand new passphrase' } })
    for (let i = 0; i < 5; i++) expect((await attempt()).status).toBe(403)
    expect((await attempt()).status).toBe(429)
  })
})

describe('account deletion', () => {
  async function world(): Promise<{ ada: TestUser; bob: TestUser; own: string; theirs: string }> {
    const ada = await user('ada')
    const bob = await user('bob')
    const own = await makeCollection(ctx, ada, { name: 'Ada’s talks', members: [[bob, 'viewer']] })
    const theirs = await makeCollection(ctx, bob, { name: 'Bob’s talks', members: [[ada, 'editor']] })
    for (const [who, collection] of [
      [ada, own],
      [ada, theirs],
      [bob, own],
    ] as const)
      await ctx.db.sql`insert into conversations (collection_id, user_id, title) values (${collection}, ${who.id}, 'Q')`
    await ctx.db
      .sql`insert into videos (collection_id, added_by, source_type, title, status) values (${theirs}, ${ada.id}, 'transcript', 'Ada’s upload', 'ready')`
    return { ada, bob, own, theirs }
  }

  test('the summary names what will go: owned collections with their other members, memberships', async () => {
    const { ada, own, theirs } = await world()
    const res = await ctx.call(ada, '/api/auth/me/deletion')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      hasPassword: true,
      renewingSubscription: false,
      ownedCollections: [{ id: own, name: 'Ada’s talks', videoCount: 0, otherMembers: 1 }],
      memberOf: [{ id: theirs, name: 'Bob’s talks', ownerName: 'bob' }],
    })
  })

  test('deletes everything the account owns and nothing of anyone else, and signs it out', async () => {
    const { ada, bob, own, theirs } = await world()
    const refused = await ctx.call(ada, '/api/auth/me', { method: 'DELETE', json: { password: 'wrong one' } })
    expect(refused.status).toBe(403)
    expect(await count(ctx.db.sql`select count(*)::int as n from users where id = ${ada.id}`)).toBe(1)

    const res = await ctx.call(ada, '/api/auth/me', { method: 'DELETE', json: { password: ada.password } })
    expect(res.status).toBe(204)
    expect(Object.values(responseCookies(res))).toEqual(expect.arrayContaining([''])) // cookies cleared
    expect(await count(ctx.db.sql`select count(*)::int as n from users where id = ${ada.id}`)).toBe(0)
    expect(await count(ctx.db.sql`select count(*)::int as n from collections where id = ${own}`)).toBe(0)
    // Bob's conversation in Ada's collection went with the collection; Ada's in Bob's went with her.
    expect(await count(ctx.db.sql`select count(*)::int as n from conversations where collection_id = ${own}`)).toBe(0)
    expect(await count(ctx.db.sql`select count(*)::int as n from conversations where collection_id = ${theirs}`)).toBe(0)
    // Bob's collection stays, with the video Ada added to it (it belongs to the collection).
    expect(await count(ctx.db.sql`select count(*)::int as n from collections where id = ${theirs}`)).toBe(1)
    expect(await count(ctx.db.sql`select count(*)::int as n from videos where collection_id = ${theirs} and added_by is null`)).toBe(1)
    expect(await count(ctx.db.sql`select count(*)::int as n from collection_members where collection_id = ${theirs}`)).toBe(1)
    expect((await ctx.call(ada, '/api/auth/me')).status).toBe(401)
    expect((await ctx.call(bob, '/api/auth/me')).status).toBe(200)
  })

  test('an account without a password confirms with its address', async () => {
    const carl = await user('carl')
    await ctx.db.sql`update users set password_hash = null where id = ${carl.id}`
    const wrong = await ctx.call(carl, '/api/auth/me', { method: 'DELETE', json: { email: 'someone@else.example' } })
    expect(wrong.status).toBe(422)
    expect((await ctx.call(carl, '/api/auth/me', { method: 'DELETE', json: { email: carl.email.toUpperCase() } })).status).toBe(204)
  })

  test('is refused while a paid plan renews, and allowed once it is set to end', async () => {
    const dora = await user('dora')
    await ctx.db.sql`
      insert into billing_accounts (user_id, stripe_customer_id, plan_id, plan_source, stripe_subscription_id, subscription_status)
      values (${dora.id}, 'cus_test', 'pro', 'stripe', 'sub_test', 'active')`
    expect((await (await ctx.call(dora, '/api/auth/me/deletion')).json()).renewingSubscription).toBe(true)
    const refused = await ctx.call(dora, '/api/auth/me', { method: 'DELETE', json: { password: dora.password } })
    expect(refused.status).toBe(409)
    expect((await refused.json()).code).toBe('subscription_active')
    expect(await count(ctx.db.sql`select count(*)::int as n from users where id = ${dora.id}`)).toBe(1)
    await ctx.db.sql`update billing_accounts set cancel_at_period_end = true where user_id = ${dora.id}`
    expect((await ctx.call(dora, '/api/auth/me', { method: 'DELETE', json: { password: dora.password } })).status).toBe(204)
    expect(await count(ctx.db.sql`select count(*)::int as n from billing_accounts where user_id = ${dora.id}`)).toBe(0)
  })

  test('an API key cannot change the password or delete the account', async () => {
    const erin = await user('erin')
    const key = await ctx.call(erin, '/api/auth/api-keys/', { method: 'POST', json: { name: 'ci', scope: 'write' } })
    const { secret } = await key.json()
    const asKey = { bearer: { authorization: `Bearer ${secret}` } }
    expect((await ctx.call(asKey, '/api/auth/me', { method: 'DELETE', json: { password: erin.password } })).status).toBe(403)
    expect(
      (
        await ctx.call(asKey, '/api/auth/password', {
          method: 'POST',
          json: { currentPassword: erin.password, newPassword: 'x'.repeat(20) },
        })
      ).status,
    ).toBe(403)
  })
})
