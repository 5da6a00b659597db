// One QMSum meeting stored as the product stores a video: its segments, its
// chunks (full text in 'english', or 'simple' when the language is unknown) and,
// given an embedder, their embeddings, all through the product's own SQL.
import { chunkSegments } from '../../server/retrieval/chunkSegments.ts'
import type { Sql } from '../../server/platform/db.ts'
import { insertChunkEmbeddings, insertChunks, isZeroVector } from '../../server/retrieval/sql.ts'
import type { EmbeddingProvider } from '../../server/retrieval/types.ts'
import { insertVideo, replaceSegments } from '../../server/videos/sql.ts'
import type { ChunkRange } from './evaluate.ts'
import type { QmsumMeeting } from './qmsum.ts'

/** A meeting's chunks as stored: ids in chunk order, each with its turn range. */
export type LoadedMeeting = { collectionId: string; ids: number[]; ranges: ChunkRange[] }

export async function loadMeeting(
  sql: Sql,
  p: {
    embedder: EmbeddingProvider | null
    userId: string
    collectionId: string
    meeting: QmsumMeeting
    language: string | null
    maxDurationMs: number
  },
): Promise<LoadedMeeting> {
  const { embedder, collectionId, meeting } = p
  const video = await insertVideo(sql, {
    collectionId,
    addedBy: p.userId,
    sourceType: 'transcript',
    title: meeting.id,
    language: p.language,
  })
  const chunks = chunkSegments(meeting.segments, { maxDurationMs: p.maxDurationMs })
  const vectors = embedder ? await embedder.embed(chunks.map((c) => c.text)) : []
  const ids = await sql.begin(async (tx) => {
    await replaceSegments(tx, video.id, meeting.segments)
    const ids = await insertChunks(tx, video.id, collectionId, p.language ? 'english' : 'simple', chunks)
    if (embedder) {
      const rows = ids.flatMap((chunkId, i) =>
        isZeroVector(vectors[i]!) ? [] : [{ chunkId, model: embedder.name, collectionId, embedding: vectors[i]! }],
      )
      await insertChunkEmbeddings(tx, rows)
      await tx`update collections set embedding_model = ${embedder.name} where id = ${collectionId}`
    }
    return ids
  })
  return { collectionId, ids, ranges: chunks }
}
