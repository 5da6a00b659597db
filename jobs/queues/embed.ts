// embed: transcript segments -> time-aware chunks -> vectors, written in one
// transaction. Chunking and embedding are deterministic and nothing is stored
// until everything is computed, so a crash mid-way and a retry leave exactly
// one, identical chunk set.
import { chunkSegments } from '../../server/retrieval/chunkSegments.ts'
import { embedderByName, configuredEmbedder } from '../../server/retrieval/embeddingProviders.ts'
import { ensureEmbeddingIndex } from '../../server/retrieval/embeddingIndex.ts'
import { claimCollectionEmbeddingModel, deleteVideoChunks, insertChunkEmbeddings, insertChunks, isZeroVector, tsConfigForLanguage } from '../../server/retrieval/sql.ts'
import type { EmbeddingProvider } from '../../server/retrieval/types.ts'
import * as q from '../../server/videos/sql.ts'
import { handlePipelineError } from '../videoFailure.ts'
import type { JobHandler } from '../worker.ts'

const BATCH = 64

/** The models a new video is embedded with: the collection's active one and the configured one. */
async function modelsFor(ctx: Parameters<JobHandler<'embed'>>[1], collectionId: string): Promise<EmbeddingProvider[]> {
  const configured = configuredEmbedder(ctx.config)
  const active = (await claimCollectionEmbeddingModel(ctx.sql, collectionId, configured.name)) ?? configured.name
  const out = [configured]
  if (active !== configured.name) {
    const old = embedderByName(ctx.config, active)
    if (old) out.unshift(old)
  }
  return out
}

export const embed: JobHandler<'embed'> = async ({ videoId }, ctx) => {
  const video = await q.getVideo(ctx.sql, videoId)
  if (!video) return
  try {
    const segments = await q.getSegments(ctx.sql, videoId)
    const chunks = chunkSegments(segments)
    const embedders = await modelsFor(ctx, video.collectionId)
    const vectors = new Map<string, number[][]>()
    const total = chunks.length * embedders.length
    let done = 0
    for (const embedder of embedders) {
      const out: number[][] = []
      for (let i = 0; i < chunks.length; i += BATCH) {
        ctx.signal.throwIfAborted()
        out.push(...(await embedder.embed(chunks.slice(i, i + BATCH).map((c) => c.text))))
        done += Math.min(BATCH, chunks.length - i)
        await q.setVideoStatus(ctx.sql, videoId, { progress: 60 + Math.floor((done / Math.max(1, total)) * 38) })
      }
      vectors.set(embedder.name, out)
    }
    ctx.signal.throwIfAborted()
    for (const e of embedders) await ensureEmbeddingIndex(ctx.sql, e.name, e.dimensions)
    const ready = await ctx.sql.begin(async (tx) => {
      const current = await q.getVideo(tx, videoId)
      if (!current) return false
      await deleteVideoChunks(tx, videoId)
      const ids = await insertChunks(tx, videoId, video.collectionId, tsConfigForLanguage(current.language), chunks)
      for (const e of embedders) {
        const vs = vectors.get(e.name)!
        const rows = ids.flatMap((chunkId, i) => (isZeroVector(vs[i]!) ? [] : [{ chunkId, model: e.name, collectionId: video.collectionId, embedding: vs[i]! }]))
        await insertChunkEmbeddings(tx, rows)
      }
      await q.setVideoChunkCount(tx, videoId, chunks.length)
      await q.setVideoStatus(tx, videoId, { status: 'ready', progress: 100 })
      return true
    })
    if (ready) ctx.metrics.video({ sourceType: video.sourceType, outcome: 'ready', createdAt: video.createdAt })
  } catch (err) {
    await handlePipelineError(ctx, videoId, err)
  }
}
