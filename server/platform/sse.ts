// Server-Sent Events responses: framing, heartbeats that keep idle proxies and
// Bun's idle timeout from closing the stream, and cleanup when the client goes.
import type { RevokedReason, StreamAccess, StreamOwner } from './streamAccess.ts'

let openStreams = 0
/** Server-Sent Event streams open in this process (a /metrics gauge). */
export function openSseStreams(): number {
  return openStreams
}

export type SseSender = {
  event(name: string, data: unknown, id?: string | number): void
  comment(text: string): void
  close(): void
  readonly closed: boolean
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  connection: 'keep-alive',
  // nginx: pass each event through as it is written.
  'x-accel-buffering': 'no',
}

// What the `revoked` event tells the reader; the page acts on `reason`.
const REVOKED_DETAIL: Record<RevokedReason, string> = {
  session: 'Your session ended. Sign in again.',
  collection: 'You no longer have access to this collection.',
  access: 'Your access to this stream ended.',
}

export function formatEvent(name: string, data: unknown, id?: string | number): string {
  const payload = JSON.stringify(data)
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${name}\ndata: ${payload}\n\n`
}

export function sseResponse(
  request: Request,
  onOpen: (send: SseSender) => (() => void) | void | Promise<(() => void) | void>,
  options: { heartbeatMs?: number; headers?: Record<string, string>; access?: { guard: StreamAccess; owner: StreamOwner } } = {},
): Response {
  const encoder = new TextEncoder()
  let cleanup: (() => void) | void
  let heartbeat: ReturnType<typeof setInterval> | undefined
  let closed = false
  let unwatch: (() => void) | undefined
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null

  const finish = () => {
    if (closed) return
    closed = true
    openStreams--
    if (heartbeat) clearInterval(heartbeat)
    unwatch?.()
    try {
      cleanup?.()
    } catch {}
    try {
      controllerRef?.close()
    } catch {}
  }

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controllerRef = controller
      openStreams++
      const write = (text: string) => {
        if (closed) return
        try {
          controller.enqueue(encoder.encode(text))
        } catch {
          finish()
        }
      }
      const sender: SseSender = {
        event: (name, data, id) => write(formatEvent(name, data, id)),
        comment: (text) => write(`: ${text}\n\n`),
        close: finish,
        get closed() {
          return closed
        },
      }
      // Tell EventSource how long to wait before reconnecting.
      write('retry: 2000\n\n')
      heartbeat = setInterval(() => sender.comment('heartbeat'), options.heartbeatMs ?? 15_000)
      request.signal.addEventListener('abort', finish, { once: true })
      // A reader who loses access (session revoked, removed from the collection)
      // is told so and the stream ends; reconnecting then gets 401 or 404.
      // The event is enqueued before the close, so the reader gets it before the end.
      unwatch = options.access?.guard.watch(options.access.owner, (reason) => {
        sender.event('revoked', { code: 'access_revoked', reason, detail: REVOKED_DETAIL[reason] })
        finish()
      })
      cleanup = await onOpen(sender)
      if (closed) cleanup?.()
    },
    cancel: finish,
  })
  return new Response(stream, { headers: { ...SSE_HEADERS, ...options.headers } })
}
