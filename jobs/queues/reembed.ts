// reembed: after the embedding model changes, adds the new model's vectors to
// a collection page by page, while search keeps using the old ones; only when
// every passage has a new vector does the collection switch over and the old
// vectors go. Resumable: a retry continues with what is still missing.
import { UnprocessableError } from '../../server/platform/errors.ts'
import type { Config } from '../../server/platform/config.ts'
import type { Sql } from '../../server/platform/db.ts'
import { configuredEmbedder, embedderByName } from '../../server/retrieval/embeddingProviders.ts'
import { ensureEmbeddingIndex } from '../../server/retrieval/embeddingIndex.ts'
import {
  chunksMissingEmbedding,
  deleteEmbeddingsOfOtherModels,
  insertChunkEmbeddings,
  isZeroVector,
  listCollectionsOnOtherModels,
  markReembedStarted,
  switchCollectionEmbeddingModel,
} from '../../server/retrieval/sql.ts'
import type { JobQueue } from '../../server/platform/jobQueue.ts'
import type { JobHandler } from '../worker.ts'

export const REEMBED_PAGE = 128

export const reembed: JobHandler<'reembed'> = async ({ collectionId, model, pageSize = REEMBED_PAGE }, ctx) => {
  const embedder = embedderByName(ctx.config, model)
  if (!embedder)
    throw new UnprocessableError('embedder_unavailable', `This worker cannot embed with ${model}; it is no longer the configured model.`)
  const collection = await markReembedStarted(ctx.sql, collectionId, model)
  if (!collection || collection.embeddingModel === model) return
  await ensureEmbeddingIndex(ctx.sql, embedder.name, embedder.dimensions)
  let after = 0
  for (;;) {
    ctx.signal.throwIfAborted()
    const page = await chunksMissingEmbedding(ctx.sql, collectionId, model, pageSize, after)
    if (page.length === 0) break
    const vectors = await embedder.embed(page.map((c) => c.text))
    const rows = page.flatMap((c, i) =>
      isZeroVector(vectors[i]!) ? [] : [{ chunkId: c.chunkId, model, collectionId, embedding: vectors[i]! }],
    )
    await insertChunkEmbeddings(ctx.sql, rows)
    after = page.at(-1)!.chunkId
  }
  await ctx.sql.begin(async (tx) => {
    // A video embedded meanwhile with only the old model would be missing; check again under the switch.
    const straggler = await chunksMissingEmbedding(tx, collectionId, model, 1, 0)
    if (straggler.length && !(await embedder.embed([straggler[0]!.text])).every((v) => isZeroVector(v)))
      throw new Error('new passages arrived during the re-embed; retrying')
    await switchCollectionEmbeddingModel(tx, collectionId, model)
    await deleteEmbeddingsOfOtherModels(tx, collectionId, model)
  })
  ctx.logger.info('collection re-embedded', { collectionId, model })
}

/** Queues a re-embed for every collection whose vectors are not from the configured model. */
export async function scheduleReembeds(sql: Sql, queue: JobQueue, config: Config): Promise<number> {
  const model = configuredEmbedder(config).name
  const ids = await listCollectionsOnOtherModels(sql, model)
  for (const id of ids) await queue.send('reembed', { collectionId: id, model }, { singletonKey: `reembed:${id}:${model}` })
  return ids.length
}
