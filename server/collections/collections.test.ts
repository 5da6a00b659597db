import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { makeUsers, type TestUser } from '../../testing/factories.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'

let ctx: TestApp
let owner: TestUser
let stranger: TestUser

beforeAll(async () => {
  ctx = await createTestApp()
  ;({ owner, stranger } = await makeUsers(ctx.db.sql, ctx.config))
})
afterAll(() => ctx.close())

const call: TestApp['call'] = (...args) => ctx.call(...args)

describe('collections', () => {
  test('create, list, read, rename, describe and delete', async () => {
    const created = await call(owner, '/api/collections', { method: 'POST', json: { name: '  Talks  ', description: 'Conference talks' } })
    expect(created.status).toBe(201)
    const c = await created.json()
    expect(c).toMatchObject({ name: 'Talks', description: 'Conference talks', role: 'owner', videoCount: 0 })
    expect(created.headers.get('location')).toBe(`/api/collections/${c.id}`)

    const list = await (await call(owner, '/api/collections')).json()
    expect(list.map((x: { id: string }) => x.id)).toContain(c.id)

    const renamed = await call(owner, `/api/collections/${c.id}`, { method: 'PATCH', json: { name: 'Keynotes' } })
    expect(renamed.status).toBe(200)
    expect(await renamed.json()).toMatchObject({ name: 'Keynotes', description: 'Conference talks' })

    expect((await call(owner, `/api/collections/${c.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await call(owner, `/api/collections/${c.id}`)).status).toBe(404)
  })

  test('another user sees 404 for every operation and never the data', async () => {
    const c = await (await call(owner, '/api/collections', { method: 'POST', json: { name: 'Private' } })).json()
    for (const [method, path, json] of [
      ['GET', `/api/collections/${c.id}`],
      ['PATCH', `/api/collections/${c.id}`, { name: 'Mine now' }],
      ['DELETE', `/api/collections/${c.id}`],
      ['GET', `/api/collections/${c.id}/videos`],
      ['POST', `/api/collections/${c.id}/videos/youtube`, { url: 'https://youtu.be/dQw4w9WgXcQ' }],
    ] as const) {
      const res = await call(stranger, path, { method, json })
      expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 404`)
      expect(await res.text()).not.toContain('Private')
    }
    expect((await (await call(stranger, '/api/collections')).json()).map((x: { id: string }) => x.id)).not.toContain(c.id)
    const still = await (await call(owner, `/api/collections/${c.id}`)).json()
    expect(still.name).toBe('Private')
  })

  test('bad input gets a 422 naming the field', async () => {
    const res = await call(owner, '/api/collections', { method: 'POST', json: { name: '' } })
    expect(res.status).toBe(422)
    expect((await res.json()).detail).toContain('name')
    // A malformed id names no collection: not found, like any id the caller cannot see.
    expect((await call(owner, '/api/collections/not-a-uuid')).status).toBe(404)
    const c = await (await call(owner, '/api/collections', { method: 'POST', json: { name: 'x' } })).json()
    expect((await call(owner, `/api/collections/${c.id}`, { method: 'PATCH', json: {} })).status).toBe(422)
  })
})
