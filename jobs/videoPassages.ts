// A video's passages, made from its transcript segments: chunks and their
// vectors for every model the collection needs, all computed before anything
// is written, then swapped in within one transaction. Shared by `embed` (a
// new video) and `rechunk` (a video an older chunker made), so both make
// exactly the same passages and search never sees half of a set.
import { CHUNKER_VERSION, chunkSegments } from '../server/retrieval/chunkSegments.ts'
import { ensureEmbeddingIndex } from '../server/retrieval/embeddingIndex.ts'
import { configuredEmbedder, embedderByName } from '../server/retrieval/embeddingProviders.ts'
import {
  claimCollectionEmbeddingModel,
  deleteVideoChunks,
  insertChunkEmbeddings,
  insertChunks,
  isZeroVector,
  tsConfigForLanguage,
} from '../server/retrieval/sql.ts'
import type { Chunk, EmbeddingProvider } from '../server/retrieval/types.ts'
import type { Db } from '../server/platform/db.ts'
import * as q from '../server/videos/sql.ts'
import type { JobContext } from './worker.ts'

const BATCH = 64

export type VideoPassages = { chunks: Chunk[]; embedders: EmbeddingProvider[]; vectors: Map<string, number[][]> }

/** The models a video is embedded with: the collection's active one and the configured one. */
async function modelsFor(ctx: JobContext, collectionId: string): Promise<EmbeddingProvider[]> {
  const configured = configuredEmbedder(ctx.config)
  const active = (await claimCollectionEmbeddingModel(ctx.sql, collectionId, configured.name)) ?? configured.name
  const out = [configured]
  if (active !== configured.name) {
    const old = embedderByName(ctx.config, active)
    if (old) out.unshift(old)
  }
  return out
}

/** Chunks and vectors of the video's stored segments; `onProgress` gets the share embedded so far. */
export async function buildPassages(
  ctx: JobContext,
  videoId: string,
  collectionId: string,
  onProgress?: (done: number) => Promise<void>,
): Promise<VideoPassages> {
  const segments = await q.getSegments(ctx.sql, videoId)
  const chunks = chunkSegments(segments)
  const embedders = await modelsFor(ctx, collectionId)
  const vectors = new Map<string, number[][]>()
  const total = Math.max(1, chunks.length * embedders.length)
  let done = 0
  for (const embedder of embedders) {
    const out: number[][] = []
    for (let i = 0; i < chunks.length; i += BATCH) {
      ctx.signal.throwIfAborted()
      out.push(...(await embedder.embed(chunks.slice(i, i + BATCH).map((c) => c.text))))
      done += Math.min(BATCH, chunks.length - i)
      await onProgress?.(done / total)
    }
    vectors.set(embedder.name, out)
  }
  ctx.signal.throwIfAborted()
  for (const e of embedders) await ensureEmbeddingIndex(ctx.sql, e.name, e.dimensions)
  return { chunks, embedders, vectors }
}

/** Replaces the video's passages (inside the caller's transaction) and records the chunker that made them. */
export async function writePassages(
  tx: Db,
  video: { id: string; collectionId: string; language: string | null },
  passages: VideoPassages,
): Promise<void> {
  await deleteVideoChunks(tx, video.id)
  const ids = await insertChunks(tx, video.id, video.collectionId, tsConfigForLanguage(video.language), passages.chunks)
  for (const e of passages.embedders) {
    const vs = passages.vectors.get(e.name)!
    const rows = ids.flatMap((chunkId, i) =>
      isZeroVector(vs[i]!) ? [] : [{ chunkId, model: e.name, collectionId: video.collectionId, embedding: vs[i]! }],
    )
    await insertChunkEmbeddings(tx, rows)
  }
  await q.setVideoChunkCount(tx, video.id, passages.chunks.length, CHUNKER_VERSION)
}
