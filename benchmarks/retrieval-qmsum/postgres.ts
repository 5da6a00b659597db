// QMSum through the product's own retrieval: segments, chunks and embeddings
// written by the product's SQL into a fresh Postgres, searched by hybridSearch
// with one method switched off at a time, in two scopes:
//   - meeting: one collection per meeting, every query filtered to its own
//     meeting (a question about one video; ~40 chunks, so chance is high);
//   - corpus: all 35 meetings as videos of one collection, every query searched
//     across all of them (a question to a collection of many videos).
// Queries are those of one half of the meetings (--split, default "report"):
// constants are chosen on the "choose" half and reported on the other (split.ts).
// Besides recall and MRR it measures moment error (momentError.ts), compares
// the fusion methods on the same two rankings (fusion.ts), and full text with
// the language unknown (`simple`, no stemming).
//
//   bun run benchmarks/retrieval-qmsum/postgres.ts [--scope meeting|corpus] [--split choose|report|all]
//        [--sweep-moments] [--moments-only] [--max-duration-ms N] [--rerank-url URL]
//
// --rerank-url (or RERANK_BASE_URL; RERANK_API, RERANK_MODEL, RERANK_API_KEY,
// RERANK_CANDIDATES and RERANK_TIMEOUT_MS as for the server) adds the row
// `hybrid, reranked`: the product's reranker on the hybrid candidates.
//
// --moments-only: hybrid search only, then the moment options compared on its
// first relevant passages (the ranking does not depend on them): a few minutes
// instead of half an hour, for deciding moment selection (quality/momentWeight.ts).
//
// The embedder is the configured one (EMBEDDING_PROVIDER and EMBEDDING_*, as
// for the server): the local hashing embedder by default, or any
// OpenAI-compatible endpoint (e.g. Ollama with bge-m3) to measure a semantic model.
// Database: a fresh test database on the project-local cluster (TEST_DATABASE_URL,
// or the URL `bash scripts/pg-local.sh start` wrote), else DATABASE_URL.
import { metrics } from '@opentelemetry/api'
import { parseArgs } from 'node:util'
import { loadConfig } from '../../server/platform/config.ts'
import { createLogger } from '../../server/platform/logger.ts'
import { DEFAULT_CHUNK_OPTIONS } from '../../server/retrieval/chunkSegments.ts'
import { ensureEmbeddingIndex } from '../../server/retrieval/embeddingIndex.ts'
import { configuredEmbedder } from '../../server/retrieval/embeddingProviders.ts'
import { fusionFor } from '../../server/retrieval/fusion.ts'
import { createReranker } from '../../server/retrieval/reranker.ts'
import { localEmbedder } from '../../server/retrieval/localEmbedder.ts'
import { describeMachine, machineLine } from '../machine.ts'
import { MOMENT_CHOICES, momentErrorSources, stretchSweep, sweepMoments } from './momentSweep.ts'
import { openDatabase } from './openDatabase.ts'
import { loadQmsum } from './qmsum.ts'
import { CANDIDATES, K, runScope, type Scope, SCOPES } from './runScope.ts'
import { splitMeetings, SPLITS, type Split } from './split.ts'
import { fusionTable, methodTable } from './tables.ts'

const SCOPE_TEXT: Record<Scope, string> = {
  meeting: 'each query searched in its own meeting only (one collection per meeting): a question about one video',
  corpus: 'each query searched across all 35 meetings (one collection of 35 videos): a question to a collection of many videos',
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      scope: { type: 'string' },
      split: { type: 'string', default: 'report' },
      'sweep-moments': { type: 'boolean' },
      'moments-only': { type: 'boolean' },
      'max-duration-ms': { type: 'string' },
      'rerank-url': { type: 'string' },
    },
  })
  const scopes = values.scope ? [values.scope as Scope] : [...SCOPES]
  if (!scopes.every((s) => (SCOPES as readonly string[]).includes(s))) throw new Error(`--scope must be one of ${SCOPES.join(', ')}`)
  const split = values.split as Split
  if (!(SPLITS as readonly string[]).includes(split)) throw new Error(`--split must be one of ${SPLITS.join(', ')}`)
  const maxDurationMs = values['max-duration-ms'] ? Number(values['max-duration-ms']) : DEFAULT_CHUNK_OPTIONS.maxDurationMs
  const config = loadConfig({ ...process.env, RERANK_BASE_URL: values['rerank-url'] ?? process.env.RERANK_BASE_URL })
  const embedder = configuredEmbedder(config)
  // Fallbacks (a late or failing reranker keeps the fused order) are counted from its warnings and printed.
  let fallbacks = 0
  const reranker = createReranker(config, {
    meter: metrics.getMeter('qmsum'),
    logger: createLogger('warn', {}, (line) => {
      fallbacks++
      if (fallbacks <= 3) console.error(line)
    }),
  })
  const meetings = loadQmsum()
  const asked = splitMeetings(meetings, split)
  const { sql, cleanup } = await openDatabase()
  try {
    console.log(`machine: ${machineLine(await describeMachine(sql))}`)
    const [user] = await sql<
      { id: string }[]
    >`insert into users (email) values (${`qmsum-${crypto.randomUUID()}@bench.invalid`}) returning id`
    try {
      // Before the first vector, so inserts fill the index as the embed job's do.
      await ensureEmbeddingIndex(sql, embedder.name, embedder.dimensions)
      const queryCount = asked.reduce((n, m) => n + m.queries.length, 0)
      const label = embedder.name === localEmbedder.name ? 'local embedding' : embedder.name
      console.log(
        `QMSum test, **${split} half** (${asked.length} of ${meetings.length} meetings, ${queryCount} specific queries; split.ts); k = ${K}, ${CANDIDATES} candidates per method, ` +
          `hybrid fusion \`${fusionFor(embedder.lexical === true)}\`, embedder ${embedder.name} (${embedder.dimensions} dims), full text 'english' (and 'simple' for the language-unknown row), passages of at most ${maxDurationMs / 1000} s`,
      )
      for (const scope of scopes) {
        const started = performance.now()
        const momentsOnly = values['moments-only'] === true
        const run = await runScope(sql, embedder, user!.id, scope, meetings, asked, maxDurationMs, momentsOnly, reranker)
        console.log(
          `\n**Scope ${scope}**: ${SCOPE_TEXT[scope]}. ${run.chunks} chunks; loaded and searched in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`,
        )
        if (momentsOnly) {
          console.log(`Moment selection options (${scope}, first relevant hybrid passage):\n\n${sweepMoments(run.probes, MOMENT_CHOICES)}`)
          console.log(`\nWhere the moment error comes from (${scope}):\n\n${momentErrorSources(run.probes)}`)
          console.log(`\nStretch length and lead-in (${scope}):\n\n${stretchSweep(run.probes)}`)
          continue
        }
        console.log(methodTable(run, label))
        if (reranker)
          console.log(
            `\nReranker: ${config.RERANK_API} at ${new URL(config.RERANK_BASE_URL!).host}${config.RERANK_MODEL ? `, model ${config.RERANK_MODEL}` : ''}, top ${reranker.candidates} candidates; it failed (fused order kept) on ${fallbacks} of ${run.runs['hybrid, reranked'].length} queries.`,
          )
        fallbacks = 0
        console.log(`\nFusion methods on the same two rankings (${scope}); margin = hybrid − max(full text, vector):\n`)
        console.log(fusionTable(run.fusions, run.runs))
        if (values['sweep-moments'])
          console.log(`\nMoment selection options (${scope}, first relevant hybrid passage):\n\n${sweepMoments(run.probes)}`)
      }
    } finally {
      await sql`delete from users where id = ${user!.id}`
    }
  } finally {
    await cleanup()
  }
}
