// The one-shot `complete()` of each provider: the real SDK against the local
// Messages-API emulator for Claude, and the offline quotation without a model.
import { expect, test } from 'bun:test'
import { ANSWER, emulator, useEmulator } from '../../../testing/anthropic/emulatorHarness.ts'
import { createAnthropicProvider } from './anthropicProvider.ts'
import { createExtractiveProvider, EXTRACTIVE_NOTICE } from './extractiveProvider.ts'

useEmulator()

const request = () => ({
  system: 'Rewrite the question as a search query.',
  messages: [{ role: 'user' as const, content: 'how do plants eat' }],
  maxTokens: 200,
  signal: new AbortController().signal,
})
const claude = (maxRetries: number) =>
  createAnthropicProvider({ apiKey: 'sk-ant-test', baseUrl: emulator.url, model: 'claude-test-model', maxRetries })

test('complete() returns the whole answer and its usage from one non-streaming request', async () => {
  const completion = await claude(0).complete(request())
  expect(completion.text).toBe(ANSWER)
  expect(completion.inputTokens).toBeGreaterThan(0)
  expect(completion.outputTokens).toBeGreaterThan(0)
  expect(emulator.requests).toHaveLength(1)
  expect(emulator.requests[0]!.stream).toBe(false)
})

test('complete() retries an overloaded model, then answers', async () => {
  emulator.setScript({ text: ANSWER, failBeforeFirstToken: { status: 529, times: 1, retryAfterSeconds: 0.01 } })
  expect((await claude(2).complete(request())).text).toBe(ANSWER)
  expect(emulator.requests.map((r) => r.status)).toEqual([529, 200])
})

test('complete() gives up after the configured retries with a 502 llm_failed', async () => {
  emulator.setScript({ text: ANSWER, failBeforeFirstToken: { status: 529, times: 5, retryAfterSeconds: 0.01 } })
  const error = await claude(1)
    .complete(request())
    .catch((e: unknown) => e)
  expect(error).toMatchObject({ status: 502, code: 'llm_failed' })
  expect(emulator.requests).toHaveLength(2)
})

test('without a model, complete() returns the labelled quotation of the best passages', async () => {
  const provider = createExtractiveProvider('where do plants make sugar', [
    { n: 1, text: 'Plants make sugar in their leaves from light and water.' },
  ])
  const completion = await provider.complete(request())
  // The notice travels beside the answer, never in it.
  expect(completion.text).not.toContain(EXTRACTIVE_NOTICE)
  expect(completion.text).toBe('> Plants make sugar in their leaves from light and water. [1]')
})
