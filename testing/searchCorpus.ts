// Videos written straight into the retrieval tables with chosen passages and
// vectors, as the embed job leaves them, for the search tests (seedVideo.ts
// goes through the real pipeline instead, from cues).
import type { Sql } from '../server/platform/db.ts'
import { localEmbedder } from '../server/retrieval/localEmbedder.ts'
import * as q from '../server/retrieval/sql.ts'
import type { Chunk, EmbeddingProvider, Segment } from '../server/retrieval/types.ts'
import { insertVideo, replaceSegments } from '../server/videos/sql.ts'

export type VideoSpec = {
  collectionId: string
  addedBy: string
  title?: string
  sourceType?: 'youtube' | 'transcript' | 'audio'
  youtubeId?: string | null
  language?: string | null
  hasTimestamps?: boolean
}

/** A ready video with its chunks written and embedded; the collection's search uses the embedder's model. */
export async function addEmbeddedVideo(
  sql: Sql,
  spec: VideoSpec,
  chunks: Chunk[],
  embedder: EmbeddingProvider = localEmbedder,
  segments?: Segment[],
): Promise<{ videoId: string; chunkIds: number[] }> {
  const video = await insertVideo(sql, {
    collectionId: spec.collectionId,
    addedBy: spec.addedBy,
    sourceType: spec.sourceType ?? 'transcript',
    title: spec.title ?? 'A video',
    youtubeId: spec.youtubeId ?? null,
    language: spec.language ?? 'en',
    hasTimestamps: spec.hasTimestamps ?? true,
  })
  const vectors = await embedder.embed(chunks.map((c) => c.text))
  const chunkIds = await sql.begin(async (tx) => {
    if (segments) await replaceSegments(tx, video.id, segments)
    const ids = await q.insertChunks(tx, video.id, spec.collectionId, q.tsConfigForLanguage(spec.language ?? 'en'), chunks)
    const rows = ids.flatMap((chunkId, i) =>
      q.isZeroVector(vectors[i]!) ? [] : [{ chunkId, model: embedder.name, collectionId: spec.collectionId, embedding: vectors[i]! }],
    )
    await q.insertChunkEmbeddings(tx, rows)
    return ids
  })
  await q.switchCollectionEmbeddingModel(sql, spec.collectionId, embedder.name)
  return { videoId: video.id, chunkIds }
}

/** One passage per text, `msEach` apart, each its own cue. */
export function textChunks(texts: string[], msEach = 10_000): Chunk[] {
  return texts.map((text, i) => ({
    ordinal: i,
    text,
    startMs: i * msEach,
    endMs: (i + 1) * msEach,
    speakers: [],
    segmentStart: i,
    segmentEnd: i,
    wordCount: text.split(' ').length,
  }))
}
