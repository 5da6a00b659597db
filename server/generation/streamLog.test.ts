import { describe, expect, test } from 'bun:test'
import type { StreamEvent } from './streamEvents.ts'
import { createStreamLog } from './streamLog.ts'

// A long answer as the hub writes it: sources, a few hundred token events of
// every kind of text (empty, spaces, accents, emoji, newlines), a token run
// cut by a non-token event, citations, done.
function answerEvents(): StreamEvent[] {
  const pieces = ['The', ' answer', ', ', '', ' naïve', ' 東京', ' 👍🏽', '\n\n', ' [1]', ' "quoted"', ' ', 'x']
  const events: StreamEvent[] = []
  const add = (event: StreamEvent['event'], data: unknown) => events.push({ seq: events.length + 1, event, data })
  add('sources', { sources: [{ n: 1, chunkId: 7 }] })
  for (let i = 0; i < 150; i++) add('token', { text: pieces[(i * 7) % pieces.length]! + (i % 13 === 0 ? String(i) : '') })
  add('citations', { citations: [{ n: 1 }] })
  for (let i = 0; i < 70; i++) add('token', { text: pieces[i % pieces.length]! })
  add('done', { content: 'whole' })
  return events
}

describe('stream log', () => {
  test('replays exactly the events after any seq, however they were packed', () => {
    const events = answerEvents()
    const log = createStreamLog()
    for (const [i, e] of events.entries()) {
      log.push(e)
      // Read while the answer grows too: the open run and packed blocks together.
      if (i % 17 === 0) expect(log.since(Math.floor(i / 2))).toEqual(events.slice(Math.floor(i / 2), i + 1))
    }
    expect(log.length).toBe(events.length)
    for (let after = 0; after <= events.length; after++) expect(log.since(after)).toEqual(events.slice(after))
    expect(log.since(events.length + 5)).toEqual([])
  })

  test('knows whether a token was sent', () => {
    const log = createStreamLog()
    log.push({ seq: 1, event: 'sources', data: { sources: [] } })
    expect(log.hasToken).toBe(false)
    log.push({ seq: 2, event: 'token', data: { text: '' } })
    expect(log.hasToken).toBe(true)
  })

  test('refuses an event out of order instead of replaying a gap', () => {
    const log = createStreamLog()
    log.push({ seq: 1, event: 'token', data: { text: 'a' } })
    expect(() => log.push({ seq: 3, event: 'token', data: { text: 'b' } })).toThrow('out of order')
  })
})
