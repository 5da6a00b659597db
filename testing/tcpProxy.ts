// A loopback TCP proxy for failure tests: it can refuse connections (database
// "down"), come back, and delay traffic, without touching the real server.
import type { Socket, TCPSocketListener } from 'bun'

type Pair = { client: Socket<{ upstream?: Socket<unknown>; pending: Uint8Array[] }>; upstream?: Socket<unknown> }

export type TcpProxy = {
  port: number
  url(base: string): string
  /** Closes every open connection and refuses new ones until `up()`. */
  down(): void
  up(): void
  setDelay(ms: number): void
  stop(): void
}

export function startTcpProxy(target: { host: string; port: number }): TcpProxy {
  let isUp = true
  let delayMs = 0
  const pairs = new Set<Pair>()
  const forward = (write: () => unknown): void => {
    if (delayMs > 0) setTimeout(write, delayMs)
    else write()
  }

  const listener: TCPSocketListener<{ upstream?: Socket<unknown>; pending: Uint8Array[] }> = Bun.listen({
    hostname: '127.0.0.1',
    port: 0,
    socket: {
      async open(client) {
        client.data = { pending: [] }
        if (!isUp) return void client.terminate()
        const pair: Pair = { client }
        pairs.add(pair)
        try {
          const upstream = await Bun.connect({
            hostname: target.host,
            port: target.port,
            socket: {
              data: (_s, chunk) => forward(() => client.write(chunk)),
              close: () => void client.end(),
              error: () => void client.end(),
            },
          })
          pair.upstream = upstream
          client.data.upstream = upstream
          for (const chunk of client.data.pending) upstream.write(chunk)
          client.data.pending = []
        } catch {
          client.end()
        }
      },
      data(client, chunk) {
        // A server that is down answers nothing: reset, never swallow a query.
        if (!isUp) return void client.terminate()
        const copy = new Uint8Array(chunk)
        forward(() => (client.data.upstream ? client.data.upstream.write(copy) : client.data.pending.push(copy)))
      },
      close(client) {
        client.data.upstream?.end()
        for (const p of pairs) if (p.client === client) pairs.delete(p)
      },
      error(client) {
        client.data.upstream?.end()
      },
    },
  })

  return {
    port: listener.port,
    url(base) {
      const u = new URL(base)
      u.hostname = '127.0.0.1'
      u.port = String(listener.port)
      return u.toString()
    },
    down() {
      isUp = false
      // Reset, not a polite FIN: a half-closed socket can swallow a query
      // written before the client noticed, and the request would wait forever.
      for (const p of pairs) {
        p.upstream?.terminate()
        p.client.terminate()
      }
      pairs.clear()
    },
    up() {
      isUp = true
    },
    setDelay(ms) {
      delayMs = ms
    },
    stop() {
      this.down()
      listener.stop(true)
    },
  }
}
