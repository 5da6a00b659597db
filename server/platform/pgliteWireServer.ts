// Serves an embedded PGlite database over the Postgres wire protocol to many
// client connections. PGlite is a single session, so client messages must be
// interleaved with care: each extended-protocol batch (Parse/Bind/Execute … up
// to Sync) runs as one unit, or another connection's Bind would replace the
// unnamed portal in between; and while a transaction is open only its
// connection is served. (@electric-sql/pglite-socket 0.2.17 schedules single
// messages, which breaks under concurrent postgres.js and pg-boss pools.)
// PGlite itself accepts anyone: with `password` set, this server asks for it
// (MD5 challenge with a fresh salt, so the password never crosses the socket)
// before a connection reaches the database.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import type { PGlite } from '@electric-sql/pglite'

const SSL_REQUEST = 80877103
const GSSENC_REQUEST = 80877104
const CANCEL_REQUEST = 80877102
const PROTOCOL_3 = 196608

// Messages after which the client waits for an answer: the batch ends there.
const FLUSH_AT = new Set(['S', 'Q', 'H', 'p', 'c', 'f'].map((c) => c.charCodeAt(0)))
const TERMINATE = 'X'.charCodeAt(0)

type Challenge = { startup: Buffer; user: string; salt: Buffer }
type Conn = {
  id: number
  socket: Socket
  buffer: Buffer
  started: boolean
  challenge: Challenge | null
  pending: Buffer[]
  closed: boolean
}
type Job = { conn: Conn; bytes: Uint8Array }

export type PgliteWireServer = { port: number; stop(): Promise<void> }

const PASSWORD_MESSAGE = 'p'.charCodeAt(0)
const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex')

function startupUser(startup: Buffer): string {
  const fields = startup.subarray(8).toString('utf8').split('\0')
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 'user') return fields[i + 1]!
  return ''
}

function fatal(socket: Socket, code: string, message: string): void {
  const body = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8')
  const head = Buffer.alloc(5)
  head.write('E', 0)
  head.writeInt32BE(body.length + 4, 1)
  socket.end(Buffer.concat([head, body]))
}

export async function startPgliteWireServer(
  db: PGlite,
  options: { host: string; port: number; maxConnections: number; password?: string },
): Promise<PgliteWireServer> {
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
        const startup = Buffer.from(b.subarray(0, length))
        if (options.password !== undefined) {
          // AuthenticationMD5Password: the client answers md5(md5(password + user) + salt).
          const salt = randomBytes(4)
          conn.challenge = { startup, user: startupUser(startup), salt }
          const r = Buffer.alloc(13)
          r.write('R', 0)
          r.writeInt32BE(12, 1)
          r.writeInt32BE(5, 5)
          salt.copy(r, 9)
          conn.socket.write(r)
          conn.started = true
          continue
        }
        conn.started = true
        enqueue(conn, new Uint8Array(startup))
        continue
      }
      if (b.length < 5) return
      const type = b[0]!
      const length = b.readInt32BE(1) + 1
      if (b.length < length) return
      const message = b.subarray(0, length)
      conn.buffer = b.subarray(length)
      if (conn.challenge) {
        const { startup, user, salt } = conn.challenge
        conn.challenge = null
        const expected = Buffer.from('md5' + md5(Buffer.concat([Buffer.from(md5(options.password! + user)), salt])))
        const given = type === PASSWORD_MESSAGE ? message.subarray(5, length - 1) : Buffer.alloc(0)
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          fatal(conn.socket, '28P01', `password authentication failed for user "${user}"`)
          return void release(conn)
        }
        // PGlite answers the startup with AuthenticationOk, parameters and ReadyForQuery.
        enqueue(conn, new Uint8Array(startup))
        continue
      }
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
    const conn: Conn = { id: nextId++, socket, buffer: Buffer.alloc(0), started: false, challenge: null, pending: [], closed: false }
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
