// Shared by the emulator tests: one emulator per test file, reset before each
// test, and the SDK client pointed at it.
import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, beforeEach } from 'bun:test'
import { startAnthropicEmulator, type AnthropicEmulator } from './emulator'

export const MODEL = 'claude-test-model'
export const API_KEY = 'sk-ant-test-key'
export const ANSWER = 'Photosynthesis turns light into sugar [1]. It happens in chloroplasts [2].'
export const QUESTION = [{ role: 'user' as const, content: 'How do plants eat?' }]
// Slow enough that a test can act after the first delta while the stream is still open.
export const SLOW = { ttftMs: 0, tokensPerSecond: 20 }
export const LONG_ANSWER = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ')

/** The running emulator (a live binding, set by useEmulator's hooks). */
export let emulator: AnthropicEmulator

/** Call at the top of a test file. */
export function useEmulator(): void {
  beforeAll(async () => {
    emulator = await startAnthropicEmulator()
  })
  afterAll(async () => {
    await emulator.stop()
  })
  beforeEach(() => {
    emulator.reset()
    emulator.setScript({ text: ANSWER })
  })
}

export function client(options: { maxRetries?: number; apiKey?: string | null } = {}) {
  return new Anthropic({ baseURL: emulator.url, apiKey: API_KEY, maxRetries: 0, ...options })
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject')
}
