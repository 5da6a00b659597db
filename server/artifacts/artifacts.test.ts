// Artifacts: generated from a video or a conversation, streamed like answers,
// every edit and regeneration kept as a version.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startAnthropicEmulator } from '../../testing/anthropic/emulator.ts'
import { makeUsers, type TestUser } from '../../testing/factories.ts'
import { cues, seedVideo } from '../../testing/seedVideo.ts'
import { readSse, tokenText } from '../../testing/sseClient.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'
import { ARTIFACT_SYSTEM_PROMPT } from './prompts.ts'

let emulator: Awaited<ReturnType<typeof startAnthropicEmulator>>
let ctx: TestApp
let owner: TestUser
let stranger: TestUser
let collectionId: string
let videoId: string

beforeAll(async () => {
  emulator = await startAnthropicEmulator()
  ctx = await createTestApp({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: emulator.url })
  ;({ owner, stranger } = await makeUsers(ctx.db.sql, ctx.config))
  collectionId = (await (await call(owner, '/api/collections', { method: 'POST', json: { name: 'Docs' } })).json()).id
  videoId = await seedVideo(ctx, {
    collectionId,
    userId: owner.id,
    title: 'Rust ownership',
    segments: cues([
      'Every value in Rust has a single owner at a time.',
      'When the owner goes out of scope the value is dropped.',
      'Borrowing lets code use a value without taking ownership.',
    ]),
  })
})
afterAll(async () => {
  await ctx.close()
  await emulator.stop()
})

const call: TestApp['call'] = (...args) => ctx.call(...args)

describe('artifacts', () => {
  test('a summary of a video streams, is stored as version 1 with its citations; edits and regenerations add versions', async () => {
    emulator.setScript({ text: 'Rust gives every value one owner [1] and drops it at scope end [2].' })
    const events = await readSse(await call(owner, '/api/artifacts', { method: 'POST', json: { kind: 'summary', videoId } }))
    expect(events[0]!.event).toBe('sources')
    expect(events.at(-1)!.event).toBe('done')
    const { artifactId, version } = events[0]!.data
    expect(version).toBe(1)
    const sent = emulator.requests.at(-1)!.body as { system: string; messages: { content: string }[] }
    expect(sent.system).toBe(ARTIFACT_SYSTEM_PROMPT)
    expect(sent.messages[0]!.content).toContain('Every value in Rust has a single owner')

    let artifact = await (await call(owner, `/api/artifacts/${artifactId}`)).json()
    expect(artifact).toMatchObject({ kind: 'summary', title: 'Summary', videoId, latestVersion: 1 })
    // There is one passage: [2] names no source and is dropped.
    expect(artifact.versions[0]).toMatchObject({
      version: 1,
      origin: 'generated',
      status: 'complete',
      content: 'Rust gives every value one owner [1] and drops it at scope end.',
    })
    // Dropped as it streamed: the tokens, done.content and the stored version are the same bytes.
    expect(tokenText(events)).toBe(artifact.versions[0].content)
    expect(artifact.versions[0].citations.map((c: { n: number; chunkId: number }) => [c.n, typeof c.chunkId])).toEqual([[1, 'number']])

    const edited = await call(owner, `/api/artifacts/${artifactId}`, {
      method: 'PUT',
      json: { content: 'My own words about ownership [1].' },
    })
    expect(await edited.json()).toMatchObject({ version: 2, origin: 'edited', content: 'My own words about ownership [1].' })

    emulator.setScript({ text: 'A second take on borrowing [3].' })
    const again = await readSse(await call(owner, `/api/artifacts/${artifactId}/regenerate`, { method: 'POST', json: {} }))
    expect(again[0]!.data.version).toBe(3)
    artifact = await (await call(owner, `/api/artifacts/${artifactId}`)).json()
    expect(artifact.versions.map((v: { version: number; origin: string }) => [v.version, v.origin])).toEqual([
      [1, 'generated'],
      [2, 'edited'],
      [3, 'generated'],
    ])
    expect(artifact.versions[0].content).toBe('Rust gives every value one owner [1] and drops it at scope end.')
    expect(artifact.versions[2].content).toBe('A second take on borrowing.')

    const list = await (await call(owner, `/api/artifacts?videoId=${videoId}`)).json()
    expect(list.map((x: { id: string }) => x.id)).toContain(artifactId)
    expect((await call(owner, `/api/artifacts/${artifactId}`, { method: 'DELETE' })).status).toBe(204)
    expect((await call(owner, `/api/artifacts/${artifactId}`)).status).toBe(404)
  })

  test('notes from a conversation use its answers and cited passages', async () => {
    const conversationId = (await (await call(owner, '/api/conversations', { method: 'POST', json: { collectionId } })).json()).id
    expect((await call(owner, '/api/artifacts', { method: 'POST', json: { kind: 'notes', conversationId } })).status).toBe(422)
    emulator.setScript({ text: 'Values have one owner [1].' })
    await readSse(
      await call(owner, `/api/conversations/${conversationId}/messages`, { method: 'POST', json: { content: 'Who owns a value?' } }),
    )
    emulator.setScript({ text: '## Ownership\n- One owner per value [1].' })
    const events = await readSse(await call(owner, '/api/artifacts', { method: 'POST', json: { kind: 'notes', conversationId } }))
    expect(events.at(-1)!.data.status).toBe('complete')
    const userTurn = (emulator.requests.at(-1)!.body as { messages: { content: string }[] }).messages[0]!.content
    expect(userTurn).toContain('<conversation>')
    expect(userTurn).toContain('Who owns a value?')
  })

  test('a custom document needs instructions; exactly one source is required', async () => {
    expect((await call(owner, '/api/artifacts', { method: 'POST', json: { kind: 'custom', videoId } })).status).toBe(422)
    expect((await call(owner, '/api/artifacts', { method: 'POST', json: { kind: 'summary' } })).status).toBe(422)
  })

  test('another user can neither create from my video nor read, edit, regenerate or delete my artifacts', async () => {
    emulator.setScript({ text: 'Private [1].' })
    const events = await readSse(await call(owner, '/api/artifacts', { method: 'POST', json: { kind: 'faq', videoId } }))
    const { artifactId } = events[0]!.data
    expect((await call(stranger, '/api/artifacts', { method: 'POST', json: { kind: 'summary', videoId } })).status).toBe(404)
    for (const [method, path, json] of [
      ['GET', `/api/artifacts/${artifactId}`],
      ['PUT', `/api/artifacts/${artifactId}`, { content: 'x' }],
      ['POST', `/api/artifacts/${artifactId}/regenerate`, {}],
      ['GET', `/api/artifacts/${artifactId}/versions/1/stream`],
      ['POST', `/api/artifacts/${artifactId}/versions/1/stop`],
      ['DELETE', `/api/artifacts/${artifactId}`],
    ] as const) {
      expect(`${method} ${path} ${(await call(stranger, path, { method, json })).status}`).toBe(`${method} ${path} 404`)
    }
    expect(await (await call(stranger, '/api/artifacts')).json()).toEqual([])
  })
})
