// The events of one running stream, kept in memory so a reader on this
// instance replays from any seq without the table. A long answer has hundreds
// of token events (one per 40 ms flush); as objects each costs an event, a
// data object and a string, ~150 bytes, so 800 tokens held ~120 KiB per open
// stream. Runs of token events are packed in blocks instead: one string of
// their texts and where each ends, ~10 bytes a token beside its text.
import type { StreamEvent } from './streamEvents.ts'

/** Token events packed together; the last, shorter run waits unpacked. */
const BLOCK = 64

type Packed = { firstSeq: number; text: string; ends: Uint32Array }

export type StreamLog = {
  /** Appends the next event (its seq must be `length + 1`). */
  push(event: StreamEvent): void
  /** Every event with a seq above `afterSeq`, in order, as pushed. */
  since(afterSeq: number): StreamEvent[]
  readonly length: number
  readonly hasToken: boolean
}

export function createStreamLog(): StreamLog {
  // Packed blocks and non-token events, in seq order; then the open run of tokens.
  const entries: (StreamEvent | Packed)[] = []
  let run: StreamEvent[] = []
  let length = 0
  let hasToken = false

  const pack = () => {
    if (run.length > 1) {
      const texts = run.map((e) => (e.data as { text: string }).text)
      const ends = new Uint32Array(texts.length)
      let end = 0
      texts.forEach((t, i) => (ends[i] = end += t.length))
      // join makes one flat string: no piece of the model's SSE chunks stays referenced.
      entries.push({ firstSeq: run[0]!.seq, text: texts.join(''), ends })
    } else if (run.length === 1) entries.push(run[0]!)
    run = []
  }

  const unpack = (p: Packed, afterSeq: number, out: StreamEvent[]) => {
    for (let i = Math.max(0, afterSeq + 1 - p.firstSeq); i < p.ends.length; i++)
      out.push({ seq: p.firstSeq + i, event: 'token', data: { text: p.text.slice(i ? p.ends[i - 1] : 0, p.ends[i]) } })
  }

  return {
    push(event) {
      if (event.seq !== length + 1) throw new Error(`stream event ${event.seq} out of order (expected ${length + 1})`)
      length++
      if (event.event !== 'token') {
        pack()
        entries.push(event)
        return
      }
      hasToken = true
      run.push(event)
      if (run.length === BLOCK) pack()
    },
    since(afterSeq) {
      const out: StreamEvent[] = []
      for (const entry of entries) {
        if ('ends' in entry) {
          if (entry.firstSeq + entry.ends.length - 1 > afterSeq) unpack(entry, afterSeq, out)
        } else if (entry.seq > afterSeq) out.push(entry)
      }
      for (const e of run) if (e.seq > afterSeq) out.push(e)
      return out
    },
    get length() {
      return length
    },
    get hasToken() {
      return hasToken
    },
  }
}
