// Configuration of retrieval: the embedder (local or an OpenAI-compatible
// endpoint), how many passages a search draws on, and the optional reranker.
import { int, oneOf, str, url, type Spec } from './parsers.ts'

export const retrievalSpec = {
  EMBEDDING_PROVIDER: {
    description:
      '`local`: a deterministic, offline embedder (feature hashing, 1024 dimensions; no download). `openai`: any OpenAI-compatible `/v1/embeddings` endpoint (Ollama, text-embeddings-inference, vLLM, OpenAI, Voyage).',
    allowed: 'local or openai',
    parse: oneOf('local', 'openai'),
    default: 'local',
  },
  EMBEDDING_BASE_URL: {
    description: 'Base URL of the OpenAI-compatible embeddings API, e.g. `http://localhost:11434/v1` for Ollama.',
    allowed: 'an http(s) URL',
    parse: url,
    default: 'https://api.openai.com/v1',
  },
  EMBEDDING_MODEL: {
    description:
      'Embedding model name for `openai` (e.g. `bge-m3`, `text-embedding-3-small`). Changing it re-embeds every collection in the background; search keeps using the old vectors until the new ones are complete.',
    allowed: 'a model name',
    parse: str,
    default: 'text-embedding-3-small',
  },
  EMBEDDING_API_KEY: {
    description: 'API key for the embeddings endpoint (not needed for Ollama).',
    allowed: 'a string',
    parse: str,
    optional: true,
    secret: true,
  },
  EMBEDDING_DIMENSIONS: {
    description:
      'Ask the endpoint for vectors of this size (models that support it); unset: the model’s native size. At most 2000 (pgvector HNSW).',
    allowed: 'an integer from 16 to 2000',
    parse: int(16, 2000),
    optional: true,
  },
  SEARCH_TOP_K: {
    description: 'Passages a search or a chat answer draws on by default.',
    allowed: 'an integer from 1 to 50',
    parse: int(1, 50),
    default: 8,
  },
  RERANK_BASE_URL: {
    description:
      'Base URL of a reranker; search and chat send the top `RERANK_CANDIDATES` fused passages to `$RERANK_BASE_URL/rerank` and keep its order. Self-hosted: text-embeddings-inference with `BAAI/bge-reranker-v2-m3` (`http://127.0.0.1:8081`, with `RERANK_API=tei`); hosted: `https://api.cohere.com/v2`, `https://api.jina.ai/v1`. Unset: no reranking. A failing reranker never fails a search: the fused order is kept (docs/reranker.md).',
    allowed: 'an http(s) URL',
    parse: url,
    optional: true,
  },
  RERANK_API: {
    description:
      'Wire protocol of the reranker. `cohere`: `{model, query, documents, top_n}` → `{results: [{index, relevance_score}]}` (Cohere, Jina, vLLM, Infinity, llama.cpp, LocalAI). `tei`: Hugging Face text-embeddings-inference, `{query, texts}` → `[{index, score}]`.',
    allowed: 'cohere or tei',
    parse: oneOf('cohere', 'tei'),
    default: 'cohere',
  },
  RERANK_MODEL: {
    description:
      'Reranking model, sent as `model` with `RERANK_API=cohere` (e.g. `rerank-v3.5`, `jina-reranker-v2-base-multilingual`, `BAAI/bge-reranker-v2-m3` on vLLM); a TEI server serves one model and is sent none.',
    allowed: 'a model name',
    parse: str,
    optional: true,
  },
  RERANK_API_KEY: {
    description: 'Bearer key for the reranker (Cohere, Jina, a TEI started with `--api-key`). Unset: no Authorization header.',
    allowed: 'a string',
    parse: str,
    optional: true,
    secret: true,
  },
  RERANK_CANDIDATES: {
    description:
      'Fused passages sent to the reranker per search; its order decides which of them are the top k. At most TEI’s `--max-client-batch-size` (32 by default).',
    allowed: 'an integer from 2 to 100',
    parse: int(2, 100),
    default: 30,
  },
  RERANK_TIMEOUT_MS: {
    description: 'How long a search waits for the reranker before it keeps the fused order.',
    allowed: 'an integer from 100 to 60000',
    parse: int(100, 60_000),
    default: 3000,
  },
} satisfies Record<string, Spec<unknown>>
