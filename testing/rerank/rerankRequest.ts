// Validation of the two rerank request shapes, as the real servers do it:
// text-embeddings-inference (`POST /rerank`: `{query, texts, truncate?,
// raw_scores?, return_text?}`, refusing a missing field with axum's 422 text
// and a batch over --max-client-batch-size with 422 `Validation`), and
// Cohere/Jina (`POST /v1|v2/rerank`: `{model, query, documents, top_n?}`,
// errors as `{message}`).
export type RerankApi = 'cohere' | 'tei'
export type ParsedRerank = { query: string; documents: string[]; topN: number | null; model: string | null }
export type Parsed = { ok: true; request: ParsedRerank } | { ok: false; response: Response }

const teiError = (status: number, error: string, errorType: string) => Response.json({ error, error_type: errorType }, { status })
const cohereError = (status: number, message: string) => Response.json({ message }, { status })

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')

export function parseRerankRequest(api: RerankApi, body: unknown, maxDocuments: number): Parsed {
  const b = (body ?? {}) as Record<string, unknown>
  if (api === 'tei') {
    // axum's Json extractor answers a body that does not deserialise with 422 and plain text.
    if (typeof b.query !== 'string' || !isStringList(b.texts))
      return {
        ok: false,
        response: new Response('Failed to deserialize the JSON body into the target type: missing or invalid field `query`/`texts`', {
          status: 422,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        }),
      }
    if (b.texts.length === 0) return { ok: false, response: teiError(400, '`texts` cannot be empty', 'Empty') }
    if (b.texts.length > maxDocuments)
      return {
        ok: false,
        response: teiError(422, `batch size ${b.texts.length} > maximum allowed batch size ${maxDocuments}`, 'Validation'),
      }
    return { ok: true, request: { query: b.query, documents: b.texts, topN: null, model: null } }
  }
  if (typeof b.query !== 'string' || b.query === '')
    return { ok: false, response: cohereError(400, 'invalid request: query must be a non-empty string') }
  if (!isStringList(b.documents) || b.documents.length === 0)
    return { ok: false, response: cohereError(400, 'invalid request: documents must be a non-empty list of strings') }
  if (b.documents.length > maxDocuments)
    return { ok: false, response: cohereError(400, `invalid request: too many documents (${b.documents.length} > ${maxDocuments})`) }
  if (b.top_n !== undefined && (typeof b.top_n !== 'number' || !Number.isInteger(b.top_n) || b.top_n < 1))
    return { ok: false, response: cohereError(400, 'invalid request: top_n must be a positive integer') }
  if (b.model !== undefined && typeof b.model !== 'string')
    return { ok: false, response: cohereError(400, 'invalid request: model must be a string') }
  return {
    ok: true,
    request: {
      query: b.query,
      documents: b.documents,
      topN: (b.top_n as number | undefined) ?? null,
      model: (b.model as string | undefined) ?? null,
    },
  }
}

/** The answer, best first: TEI `[{index, score}]`; Cohere `{id, results: [{index, relevance_score}], meta}`. */
export function rerankAnswer(api: RerankApi, request: ParsedRerank, scores: number[]): unknown {
  const ranked = scores.map((score, index) => ({ index, score })).sort((a, b) => b.score - a.score || a.index - b.index)
  if (api === 'tei') return ranked
  return {
    id: crypto.randomUUID(),
    results: ranked.slice(0, request.topN ?? ranked.length).map(({ index, score }) => ({ index, relevance_score: score })),
    meta: { api_version: { version: '2' }, billed_units: { search_units: 1 } },
  }
}

/** Missing or wrong key: TEI answers a bare 401, Cohere a 401 with a message. */
export function unauthorized(api: RerankApi): Response {
  return api === 'tei' ? new Response(null, { status: 401 }) : cohereError(401, 'invalid api token')
}
