// Conversations end to end: another user cannot reach one; list, pagination,
// rename, delete and export. Real Postgres and retrieval, the Anthropic
// emulator writes the answers (streaming itself is answerStream.test.ts).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startAnthropicEmulator } from '../../testing/anthropic/emulator.ts'
import { makeUsers, type TestUser } from '../../testing/factories.ts'
import { seedCachingTalk } from '../../testing/cachingTalk.ts'
import { readSse } from '../../testing/sseClient.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'

let emulator: Awaited<ReturnType<typeof startAnthropicEmulator>>
let ctx: TestApp
let owner: TestUser
let stranger: TestUser
let collectionId: string

beforeAll(async () => {
  emulator = await startAnthropicEmulator()
  const env = { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: emulator.url, LLM_MAX_RETRIES: '2' }
  ctx = await createTestApp(env)
  ;({ owner, stranger } = await makeUsers(ctx.db.sql, ctx.config))
  collectionId = (await (await call(owner, '/api/collections', { method: 'POST', json: { name: 'Talks' } })).json()).id
  await seedCachingTalk(ctx, collectionId, owner.id)
})
afterAll(async () => {
  await ctx.close()
  await emulator.stop()
})

const call: TestApp['call'] = (...args) => ctx.call(...args)
async function newConversation(user = owner) {
  return (await (await call(user, '/api/conversations', { method: 'POST', json: { collectionId } })).json()).id as string
}
const ask = (conversationId: string, content: string, init: RequestInit = {}) =>
  call(owner, `/api/conversations/${conversationId}/messages`, { method: 'POST', json: { content }, ...init })

describe('isolation', () => {
  test('another user cannot read, stream, stop, export, rename, delete or find a conversation', async () => {
    emulator.setScript({ text: 'Private answer about caching [1].' })
    const conversationId = await newConversation()
    const events = await readSse(await ask(conversationId, 'secretword caching'))
    const messageId = events[0]!.data.messageId
    for (const [method, path, json] of [
      ['GET', `/api/conversations/${conversationId}`],
      ['GET', `/api/conversations/${conversationId}/messages/${messageId}/stream`],
      ['POST', `/api/conversations/${conversationId}/messages/${messageId}/stop`],
      ['GET', `/api/conversations/${conversationId}/export`],
      ['PATCH', `/api/conversations/${conversationId}`, { title: 'mine' }],
      ['DELETE', `/api/conversations/${conversationId}`],
      ['POST', `/api/conversations/${conversationId}/messages`, { content: 'hi' }],
    ] as const) {
      expect(`${method} ${path} ${(await call(stranger, path, { method, json })).status}`).toBe(`${method} ${path} 404`)
    }
    expect(await (await call(stranger, '/api/conversations/search?q=secretword')).json()).toEqual([])
    expect((await (await call(stranger, '/api/conversations')).json()).items).toEqual([])
    expect((await call(stranger, '/api/conversations', { method: 'POST', json: { collectionId } })).status).toBe(404)
    expect(
      (await (await call(owner, '/api/conversations/search?q=secretword')).json()).map(
        (r: { conversation: { id: string } }) => r.conversation.id,
      ),
    ).toContain(conversationId)
    // Narrowed to a collection the conversation is not in, the search finds nothing.
    const otherCollection = (await (await call(owner, '/api/collections', { method: 'POST', json: { name: 'Elsewhere' } })).json()).id
    expect(await (await call(owner, `/api/conversations/search?q=secretword&collectionId=${otherCollection}`)).json()).toEqual([])
    expect(
      (await (await call(owner, `/api/conversations/search?q=secretword&collectionId=${collectionId}`)).json()).length,
    ).toBeGreaterThan(0)
  })
})

describe('conversations', () => {
  test('list is most recent first and paginates with a cursor; rename and delete work', async () => {
    const ids = [await newConversation(), await newConversation(), await newConversation()]
    const page1 = await (await call(owner, '/api/conversations?limit=2')).json()
    expect(page1.items).toHaveLength(2)
    expect(page1.items[0].id).toBe(ids[2])
    const page2 = await (await call(owner, `/api/conversations?limit=2&cursor=${page1.nextCursor}`)).json()
    expect(page2.items[0].id).not.toBe(page1.items[1].id)
    expect((await call(owner, '/api/conversations?cursor=garbage')).status).toBe(400)
    const renamed = await call(owner, `/api/conversations/${ids[0]}`, { method: 'PATCH', json: { title: 'Caching deep dive' } })
    expect((await renamed.json()).title).toBe('Caching deep dive')
    expect((await call(owner, `/api/conversations/${ids[1]}`, { method: 'DELETE' })).status).toBe(204)
    expect((await call(owner, `/api/conversations/${ids[1]}`)).status).toBe(404)
  })

  test('Markdown export turns citations into timestamp links and lists the sources; JSON export has the messages', async () => {
    emulator.setScript((body) => {
      const s = JSON.stringify(body)
      const n = /n=\\"(\d+)\\" video=\\"Caching talk/.exec(s)?.[1] ?? '1'
      return { text: `It uses SQLite [${n}].` }
    })
    const conversationId = await newConversation()
    await readSse(await ask(conversationId, 'What does DiskCache use for storage?'))
    const md = await call(owner, `/api/conversations/${conversationId}/export?format=markdown`)
    expect(md.headers.get('content-type')).toContain('text/markdown')
    const text = await md.text()
    expect(text).toMatch(/\[\[1\] \d+:\d{2}\]\(https:\/\/youtu\.be\/aqz-KE-bpKQ\?t=\d+\)/)
    expect(text).toContain('## Sources')
    expect(text).toMatch(/1\. \[Caching talk, \d+:\d{2}–\d+:\d{2}\]\(https:\/\/youtu\.be\/aqz-KE-bpKQ\?t=\d+\)/)
    const json = await (await call(owner, `/api/conversations/${conversationId}/export?format=json`)).json()
    expect(json.messages).toHaveLength(2)
    expect(json.messages[1].citations[0].deepLink).toContain('youtu.be')
  })
})
