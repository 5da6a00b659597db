// Reads a text/event-stream response into events, for tests and benchmarks.
// Stops at `done`/`error`, or earlier when `stopAfter` says so (the caller then
// aborts the request, as a browser that went away would).

export type SseEvent = { id: number | null; event: string; data: any }

export async function readSse(
  res: Response,
  options: { stopAfter?: (e: SseEvent, all: SseEvent[]) => boolean; onEvent?: (e: SseEvent) => void } = {},
): Promise<SseEvent[]> {
  const events: SseEvent[] = []
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return events
      buffer += decoder.decode(value, { stream: true })
      let cut: number
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut)
        buffer = buffer.slice(cut + 2)
        let id: number | null = null
        let event = 'message'
        const data: string[] = []
        for (const line of block.split('\n')) {
          if (line.startsWith(':') || line.startsWith('retry:')) continue
          if (line.startsWith('id: ')) id = Number(line.slice(4))
          else if (line.startsWith('event: ')) event = line.slice(7)
          else if (line.startsWith('data: ')) data.push(line.slice(6))
        }
        if (!data.length) continue
        const e = { id, event, data: JSON.parse(data.join('\n')) }
        events.push(e)
        options.onEvent?.(e)
        if (e.event === 'done' || e.event === 'error') return events
        if (options.stopAfter?.(e, events)) return events
      }
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
}

export function tokenText(events: SseEvent[]): string {
  return events
    .filter((e) => e.event === 'token')
    .map((e) => e.data.text)
    .join('')
}
