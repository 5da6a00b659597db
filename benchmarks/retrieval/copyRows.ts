// Bulk loading for the retrieval benchmark (vectorSearch.ts): COPY … FROM
// STDIN through postgres.js, in text format (chunks) or binary format (vectors).
import type { Writable } from 'node:stream'
import type { Sql } from '../../server/platform/db.ts'

/** COPY … FROM STDIN through postgres.js, with back-pressure. */
export async function copyInto(sql: Sql, statement: string, produce: (write: (b: Buffer | string) => Promise<void>) => Promise<void>): Promise<void> {
  const stream = (await sql.unsafe(statement).writable()) as Writable
  const finished = new Promise<void>((resolve, reject) => {
    stream.once('finish', resolve)
    stream.once('error', reject)
  })
  // A COPY that Postgres rejects (a bad row) ends the stream with an error and
  // no 'drain' ever comes: race the producer against it so the run fails loudly.
  await Promise.race([
    produce(async (b) => {
      if (!stream.write(b)) await Promise.race([new Promise((r) => stream.once('drain', r)), finished])
    }),
    finished,
  ])
  stream.end()
  await finished
}

/** A field of COPY's text format: backslashes doubled, tabs and line breaks as spaces. */
export const copyEscape = (s: string) => s.replace(/\\/g, '\\\\').replace(/\t/g, ' ').replace(/\n/g, ' ').replace(/\r/g, ' ')

/** A uuid's 16 bytes, for binary COPY. */
export function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex')
}

/** A field of binary COPY: its length (int32, big-endian), then its bytes. */
export function binaryField(b: Buffer): Buffer {
  const len = Buffer.allocUnsafe(4)
  len.writeInt32BE(b.length)
  return Buffer.concat([len, b])
}
