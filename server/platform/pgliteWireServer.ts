// Serves an embedded PGlite database over the Postgres wire protocol to many
// client connections. PGlite is a single session, so client messages must be
// interleaved with care: each extended-protocol batch (Parse/Bind/Execute … up
// to Sync) runs as one unit, or another connection's Bind would replace the
// unnamed portal in between; and while a transaction is open only its
// connection is served. (@electric-sql/pglite-socket 0.2.17 schedules single
// messages, which breaks under concurrent postgres.js and pg-boss pools.)
import { createServer, type Server, type Socket } from 'node:net'
import type { PGlite } from '@electric-sql/pglite'

const SSL_REQUEST = 80877103
const GSSENC_REQUEST = 80877104
const CANCEL_REQUEST = 80877102
const PROTOCOL_3 = 196608

// Messages after which the client waits for an answer: the batch ends there.
const FLUSH_AT = new Set(['S', 'Q', 'H', 'p', 'c', 'f'].map((c) => c.charCodeAt(0)))
const TERMINATE = 'X'.charCodeAt(0)

type Conn = { id: number; socket: Socket; buffer: Buffer; started: boolean; pending: Buffer[]; closed: boolean }
type Job = { conn: Conn; bytes: Uint8Array }

export type PgliteWireServer = { port: number; stop(): Promise<void> }

export async function startPgliteWireServer(db: PGlite, options: { host: string; port: number; maxConnections: number }): Promise<PgliteWireServer> {
  const queue: Job[] = []
  let owner: Conn | null = null
  let pumping = false
  let nextId = 1
  const conns = new Set<Conn>()

  const pump = async () => {
    if (pumping) return
    pumping = true
    try {
      for (;;) {
        const index = owner ? queue.findIndex((j) => j.conn === owner) : 0
        if (index < 0 || queue.length === 0) break
        const [job] = queue.splice(index, 1) as [Job]
        if (job.conn.closed) continue
        await db.runExclusive(() =>
          db.execProtocolRawStream(job.bytes, {
            onRawData: (data: Uint8Array) => {
              if (!job.conn.closed) job.conn.socket.write(data)
            },
          }),
        )
        owner = db.isInTransaction() ? job.conn : null
      }
    } finally {
      pumping = false
    }
  }

  const enqueue = (conn: Conn, bytes: Uint8Array) => {
    queue.push({ conn, bytes })
    void pump()
  }

  const release = async (conn: Conn) => {
    if (conn.closed) return
    conn.closed = true
    conns.delete(conn)
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.conn === conn) queue.splice(i, 1)
    if (owner === conn) {
      owner = null
      // The client went away mid-transaction: undo it, as a real server would.
      await db.exec('ROLLBACK').catch(() => {})
    }
    void pump()
  }

  const onData = (conn: Conn, chunk: Buffer) => {
    conn.buffer = conn.buffer.length ? Buffer.concat([conn.buffer, chunk]) : chunk
    for (;;) {
      const b = conn.buffer
      if (!conn.started) {
        if (b.length < 8) return
        const length = b.readInt32BE(0)
        if (b.length < length) return
        const code = b.readInt32BE(4)
        conn.buffer = b.subarray(length)
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          conn.socket.write('N')
          continue
        }
        if (code === CANCEL_REQUEST) return void conn.socket.end()
        if (code !== PROTOCOL_3) return void conn.socket.end()
        conn.started = true
        enqueue(conn, new Uint8Array(b.subarray(0, length)))
        continue
      }
      if (b.length < 5) return
      const type = b[0]!
      const length = b.readInt32BE(1) + 1
      if (b.length < length) return
      const message = b.subarray(0, length)
      conn.buffer = b.subarray(length)
      if (type === TERMINATE) {
        conn.socket.end()
        return void release(conn)
      }
      conn.pending.push(message)
      if (FLUSH_AT.has(type)) {
        const batch = Buffer.concat(conn.pending)
        conn.pending = []
        enqueue(conn, new Uint8Array(batch))
      }
    }
  }

  const server: Server = createServer((socket) => {
    if (conns.size >= options.maxConnections) {
      socket.end()
      return
    }
    socket.setNoDelay(true)
    const conn: Conn = { id: nextId++, socket, buffer: Buffer.alloc(0), started: false, pending: [], closed: false }
    conns.add(conn)
    socket.on('data', (chunk: Buffer) => onData(conn, chunk))
    socket.on('close', () => void release(conn))
    socket.on('error', () => void release(conn))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const address = server.address()
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    async stop() {
      for (const c of conns) c.socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      while (pumping) await Bun.sleep(5)
    },
  }
}
