// Conversation-aware retrieval: a follow-up that refers back keeps the
// previous topic, a new question on another topic is not hijacked by it; with
// a model the follow-up is rewritten once into a standalone query, by the
// rewrite model when one is set. And the answer a reader saw streaming is,
// byte for byte, the one saved.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startAnthropicEmulator, type AnthropicEmulator } from '../../testing/anthropic/emulator.ts'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { startOtlpReceiver, type OtlpReceiver } from '../../testing/otlp/receiver.ts'
import { underRootSpan } from '../../testing/otlp/underRootSpan.ts'
import { cues, seedVideo } from '../../testing/seedVideo.ts'
import { readSse, tokenText, type SseEvent } from '../../testing/sseClient.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { loadConfig } from '../platform/config.ts'
import { startTracing, type Tracing } from '../platform/tracing.ts'
import { refersBack } from './searchQuery.ts'

const LICENCES = [
  'Pick a licence before you publish your library, or nobody may legally use it.',
  'The MIT licence is permissive: keep the copyright notice and you may do almost anything.',
  'The GPL is a copyleft licence: derived works must be released under the GPL as well.',
  'Apache 2.0 adds an explicit patent grant to a permissive licence.',
  'Dual licensing lets a company sell exceptions to the copyleft terms.',
]
const PROFILING = [
  'To find slow code, measure first: profiling beats guessing.',
  'cProfile counts every function call and reports cumulative time per function.',
  'py-spy is a sampling profiler that attaches to a running process without restarting it.',
  'Flame graphs show where the time goes, widest frames first.',
  'Line profilers time each line of a hot function.',
]

async function seedTopics(ctx: TestApp, owner: TestUser): Promise<string> {
  const collectionId = (
    await (await ctx.app.handle(request('/api/collections', { method: 'POST', json: { name: 'Talks' }, headers: owner.bearer }))).json()
  ).id
  await seedVideo(ctx, { collectionId, userId: owner.id, title: 'Licences', segments: cues(LICENCES, 30_000) })
  await seedVideo(ctx, { collectionId, userId: owner.id, title: 'Profiling', segments: cues(PROFILING, 30_000) })
  return collectionId
}

function chat(ctx: TestApp, owner: TestUser, collectionId: string, settings?: { model: string }) {
  let conversationId: string | null = null
  return async (content: string): Promise<SseEvent[]> => {
    conversationId ??= (
      await (
        await ctx.app.handle(request('/api/conversations', { method: 'POST', json: { collectionId, settings }, headers: owner.bearer }))
      ).json()
    ).id
    return readSse(
      await ctx.app.handle(
        request(`/api/conversations/${conversationId}/messages`, { method: 'POST', json: { content, k: 3 }, headers: owner.bearer }),
      ),
    )
  }
}

const titles = (events: SseEvent[]) => (events[0]!.data.sources as { videoTitle: string }[]).map((s) => s.videoTitle)

test('a follow-up refers back when it is short or points at something said before', () => {
  expect(refersBack('And what about the second one?')).toBe(true)
  expect(refersBack('Is it compatible with the GPL?')).toBe(true)
  expect(refersBack('Why?')).toBe(true)
  expect(refersBack('How do I find the slow parts of my program with a profiler?')).toBe(false)
})

describe('without a model', () => {
  let ctx: TestApp
  let owner: TestUser
  let collectionId: string
  beforeAll(async () => {
    ctx = await createTestApp()
    owner = await makeUser(ctx.db.sql, ctx.config)
    collectionId = await seedTopics(ctx, owner)
  })
  afterAll(() => ctx.close())

  test('a new topic returns the new topic’s passages, not the previous question’s', async () => {
    const ask = chat(ctx, owner, collectionId)
    expect(titles(await ask('Which licence should I pick for my library?'))[0]).toBe('Licences')
    const next = await ask('How do I find the slow parts of my program with a profiler?')
    // Every profiling passage ranks above any licence passage (searched with the
    // previous question, licences took the top places).
    const order = titles(next)
    expect(order[0]).toBe('Profiling')
    expect(order.lastIndexOf('Profiling')).toBeLessThan(order.includes('Licences') ? order.indexOf('Licences') : Infinity)
    expect(next[0]!.data.searchQuery).toBe('How do I find the slow parts of my program with a profiler?')
  })

  test('a follow-up that says "it" keeps the previous topic', async () => {
    const ask = chat(ctx, owner, collectionId)
    await ask('What does the GPL licence require of derived works?')
    const next = await ask('And what does it let a company sell?')
    expect(titles(next)[0]).toBe('Licences')
  })
})

describe('with a model', () => {
  let emulator: AnthropicEmulator
  let ctx: TestApp
  let owner: TestUser
  let collectionId: string
  beforeAll(async () => {
    emulator = await startAnthropicEmulator()
    ctx = await createTestApp({ ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: emulator.url })
    owner = await makeUser(ctx.db.sql, ctx.config)
    collectionId = await seedTopics(ctx, owner)
  })
  afterAll(async () => {
    await ctx.close()
    await emulator.stop()
  })

  test('a follow-up is rewritten once into a standalone query, stored with the question, and counted in TTFT', async () => {
    const ask = chat(ctx, owner, collectionId)
    emulator.setScript({ text: 'Licences differ [1].' })
    await ask('Which licence should I pick for my library?')
    // The first question needs no rewrite: one request, streamed.
    expect(emulator.requests.map((r) => r.stream)).toEqual([true])
    emulator.setScript((req) =>
      req.stream ? { text: 'Use a sampling profiler [1].' } : { text: 'sampling profiler attached to a running process', ttftMs: 30 },
    )
    const events = await ask('what about the slow parts?')
    expect(emulator.requests.map((r) => r.stream)).toEqual([true, false, true])
    expect(events[0]!.data.searchQuery).toBe('sampling profiler attached to a running process')
    expect(titles(events)[0]).toBe('Profiling')
    const done = events.at(-1)!.data
    expect(done.timings.rewriteMs).toBeGreaterThanOrEqual(30)
    expect(done.timings.ttftMs).toBeGreaterThanOrEqual(done.timings.rewriteMs)
    expect(done.timings.ttftMs).toBeGreaterThanOrEqual(done.timings.modelTtftMs)
    const stored = (await (await ctx.app.handle(request(`/api/conversations/${done.conversationId}`, { headers: owner.bearer }))).json())
      .messages
    expect(stored.at(-2)).toMatchObject({
      role: 'user',
      content: 'what about the slow parts?',
      searchQuery: 'sampling profiler attached to a running process',
    })
    expect(stored.at(-1).timings.ttftMs).toBe(done.timings.ttftMs)
  })

  test('the saved answer is byte-identical to the streamed tokens: invalid markers go, quoted text stays', async () => {
    emulator.setScript({ text: ['Quoted: "the...', ' ...the"  as said', ' [', '9', '].', ' Sampling works [2, 7]', ' and  [1].'] })
    const events = await chat(ctx, owner, collectionId)('How does py-spy profile a running process?')
    const done = events.at(-1)!.data
    expect(done.content).toBe('Quoted: "the... ...the"  as said. Sampling works [2] and  [1].')
    expect(tokenText(events)).toBe(done.content)
    const stored = (
      await (await ctx.app.handle(request(`/api/conversations/${done.conversationId}`, { headers: owner.bearer }))).json()
    ).messages.at(-1)
    expect(stored.content).toBe(done.content)
    // Each citation opens at the moment matching the sentence that cites it.
    const citations = events.find((e) => e.event === 'citations')!.data.citations as {
      n: number
      momentStartMs: number | null
      deepLink: string
    }[]
    expect(citations.map((c) => c.n)).toEqual([2, 1])
    for (const c of citations) expect(c.deepLink).toContain(`t=${Math.floor(c.momentStartMs! / 1000)}`)
  })
})

describe('with a rewrite model of its own', () => {
  let receiver: OtlpReceiver
  let tracing: Tracing
  let emulator: AnthropicEmulator
  let ctx: TestApp
  let owner: TestUser
  let collectionId: string
  beforeAll(async () => {
    receiver = startOtlpReceiver()
    tracing = startTracing(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }), 'knowledgetree-test')!
    emulator = await startAnthropicEmulator()
    ctx = await createTestApp({
      ANTHROPIC_API_KEY: 'sk-ant-test-key',
      ANTHROPIC_BASE_URL: emulator.url,
      ANTHROPIC_MODEL: 'claude-main-1',
      ANTHROPIC_MODELS: 'claude-small-1',
      ANTHROPIC_REWRITE_MODEL: 'claude-fast-1',
    })
    owner = await makeUser(ctx.db.sql, ctx.config)
    collectionId = await seedTopics(ctx, owner)
  })
  afterAll(async () => {
    await ctx.close()
    await emulator.stop()
    await tracing.shutdown()
    await receiver.stop()
  })

  test('the follow-up is rewritten by ANTHROPIC_REWRITE_MODEL and answered by the conversation’s model, each reported as such', async () => {
    // The conversation picked a model other than the default: the rewrite follows neither.
    const ask = chat(ctx, owner, collectionId, { model: 'claude-small-1' })
    emulator.setScript((req) =>
      req.stream ? { text: 'Use a sampling profiler [1].' } : { text: 'sampling profiler attached to a running process' },
    )
    await ask('Which licence should I pick for my library?')
    // Inside an operation's span, as a request runs: the model calls below it are spans of its trace.
    const events = await underRootSpan(() => ask('what about the slow parts?'))
    const sent = emulator.requests.map((r) => ({ stream: r.stream, model: (r.body as { model: string }).model }))
    expect(sent).toEqual([
      { stream: true, model: 'claude-small-1' },
      { stream: false, model: 'claude-fast-1' },
      { stream: true, model: 'claude-small-1' },
    ])
    expect(events[0]!.data.searchQuery).toBe('sampling profiler attached to a running process')
    expect(events.at(-1)!.data.model).toBe('claude-small-1')

    // The rewrite's tokens are on a GenAI span of its own model, the answer's on one of the answering model.
    await tracing.forceFlush()
    const spans = await receiver.waitFor((all) => {
      const rewrite = all.find((x) => x.name === 'chat claude-fast-1')
      return rewrite !== undefined && all.some((x) => x.name === 'chat claude-small-1' && x.traceId === rewrite.traceId)
    })
    const rewrite = spans.find((x) => x.name === 'chat claude-fast-1')!
    expect(rewrite.attributes).toMatchObject({ 'gen_ai.request.model': 'claude-fast-1', 'gen_ai.response.model': 'claude-fast-1' })
    expect(rewrite.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0)
    const answer = spans.find((x) => x.name === 'chat claude-small-1' && x.traceId === rewrite.traceId)!
    expect(answer.attributes['gen_ai.request.model']).toBe('claude-small-1')

    // And on the token metric cost is summed from, under the rewrite's model with the answers' labels.
    const metrics = await (await ctx.app.handle(request('/metrics', { peer: '127.0.0.1' }))).text()
    const tokens = (model: string, type: string) =>
      Number(
        metrics.match(
          new RegExp(
            `^gen_ai_client_token_usage_sum\\{gen_ai_operation_name="chat",gen_ai_provider_name="anthropic",gen_ai_request_model="${model}",gen_ai_token_type="${type}"[^}]*\\} (\\d+)$`,
            'm',
          ),
        )?.[1],
      )
    expect(tokens('claude-fast-1', 'input')).toBe(rewrite.attributes['gen_ai.usage.input_tokens'] as number)
    expect(tokens('claude-fast-1', 'output')).toBe(rewrite.attributes['gen_ai.usage.output_tokens'] as number)
  })
})
