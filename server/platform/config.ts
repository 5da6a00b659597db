// One typed configuration, parsed from the environment once at start. Every
// variable is declared here with its default and meaning; the README's table is
// checked against this list by a test, so the two cannot drift.
import { parseCidrList, type Cidr } from './clientAddress.ts'

type Parser<T> = (raw: string) => T

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly allowed: string,
    readonly got: string | undefined,
  ) {
    super(
      `Invalid configuration: ${variable} ${got === undefined ? 'is required' : `is ${JSON.stringify(redactIfSecret(variable, got))}`}; expected ${allowed}.`,
    )
    this.name = 'ConfigError'
  }
}

type Spec<T> = {
  description: string
  allowed: string
  parse: Parser<T>
  secret?: boolean
} & ({ default: T; defaultText?: string } | { required: true } | { optional: true })

const SECRET_NAMES = new Set<string>()

function redactIfSecret(name: string, value: string): string {
  return SECRET_NAMES.has(name) ? '<redacted>' : value
}

const str: Parser<string> = (s) => s
function int(min: number, max: number): Parser<number> {
  return (s) => {
    if (!/^-?\d+$/.test(s.trim())) throw new Error()
    const n = Number(s)
    if (n < min || n > max) throw new Error()
    return n
  }
}
function num(min: number, max: number): Parser<number> {
  return (s) => {
    const n = Number(s)
    if (s.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new Error()
    return n
  }
}
function oneOf<const T extends string>(...values: T[]): Parser<T> {
  return (s) => {
    if (!(values as string[]).includes(s)) throw new Error()
    return s as T
  }
}
const bool: Parser<boolean> = (s) => {
  if (['1', 'true', 'yes', 'on'].includes(s.toLowerCase())) return true
  if (['0', 'false', 'no', 'off'].includes(s.toLowerCase())) return false
  throw new Error()
}
const url: Parser<string> = (s) => {
  const u = new URL(s)
  if (!['http:', 'https:'].includes(u.protocol)) throw new Error()
  return s.replace(/\/+$/, '')
}
// A Sentry DSN: http(s)://<public key>@<host>[/<path>]/<project id>.
const sentryDsn: Parser<string> = (s) => {
  const u = new URL(s)
  if (!['http:', 'https:'].includes(u.protocol) || !u.username || !/\/\d+$/.test(u.pathname)) throw new Error()
  return s
}
const postgresUrl: Parser<string> = (s) => {
  const u = new URL(s)
  if (!['postgres:', 'postgresql:'].includes(u.protocol)) throw new Error()
  return s
}
const smtpUrl: Parser<string> = (s) => {
  const u = new URL(s)
  if (!['smtp:', 'smtps:'].includes(u.protocol)) throw new Error()
  return s
}
function minLength(n: number): Parser<string> {
  return (s) => {
    if (s.length < n) throw new Error()
    return s
  }
}

const stripeKey: Parser<string> = (s) => {
  if (!/^(sk|rk)_(test|live)_\w+$/.test(s)) throw new Error()
  return s
}
function prefixed(prefix: string): Parser<string> {
  return (s) => {
    if (!s.startsWith(prefix) || s.length < prefix.length + 8) throw new Error()
    return s
  }
}
const planId: Parser<string> = (s) => {
  if (!/^[a-z0-9-]{1,30}$/.test(s)) throw new Error()
  return s
}
// Model ids, comma-separated (spaces allowed), none repeated.
const modelList: Parser<string[]> = (s) => {
  const ids = s.split(',').map((m) => m.trim())
  if (ids.some((m) => !/^[\w.:@/-]{1,100}$/.test(m)) || new Set(ids).size !== ids.length) throw new Error()
  return ids
}
const email: Parser<string> = (s) => {
  if (!/^[^\s@]+@[^\s@]+$/.test(s)) throw new Error()
  return s
}

// The declaration order is the order of the README table.
export const configSpec = {
  NODE_ENV: {
    description: 'Runtime mode. `production` turns on Secure cookies everywhere and hides dev conveniences.',
    allowed: 'development, production or test',
    parse: oneOf('development', 'production', 'test'),
    default: 'development',
  },
  HOST: { description: 'Interface the api binds to.', allowed: 'a host name or IP address', parse: str, default: '127.0.0.1' },
  PORT: {
    description: 'Port the api (and, in one-process mode, the web app) listens on.',
    allowed: 'an integer from 0 to 65535',
    parse: int(0, 65535),
    default: 3000,
  },
  PUBLIC_URL: {
    description: 'The URL people use to reach the app (links in emails, OAuth redirect URLs, allowed Origin).',
    allowed: 'an http(s) URL',
    parse: url,
    default: 'http://localhost:3000',
    defaultText: '`http://localhost:$PORT`',
  },
  DATABASE_URL: {
    description:
      'Postgres 15+ with pgvector. Unset: an embedded Postgres (PGlite) under `DATA_DIR` is started and served over the wire protocol.',
    allowed: 'a postgres:// URL',
    parse: postgresUrl,
    optional: true,
    secret: true,
  },
  ALLOW_EMBEDDED_DB_IN_PRODUCTION: {
    description:
      'Let `NODE_ENV=production` run without `DATABASE_URL` on the embedded database (one process, one query at a time; it listens on loopback only and asks for a password that is new at every start, but it has no roles, TLS or backups). Off: production refuses to start without `DATABASE_URL`.',
    allowed: 'true or false',
    parse: bool,
    default: false,
  },
  API_DOCS: {
    description:
      'Serve the interactive API reference at `/api/docs` (Swagger UI from the pinned `swagger-ui-dist` package, served by the app under a strict CSP). Default: on outside production, off in production. `/api/openapi.json` is served either way.',
    allowed: 'on or off',
    parse: bool,
    optional: true,
    defaultText: 'on, off in production',
  },
  DATA_DIR: { description: 'Where the embedded database and local state live.', allowed: 'a directory path', parse: str, default: '.data' },
  EMBEDDED_DB_PORT: {
    description: 'Loopback port the embedded database is served on (0 picks a free one).',
    allowed: 'an integer from 0 to 65535',
    parse: int(0, 65535),
    default: 54329,
  },
  DB_POOL_MAX: {
    description:
      'Connections in each api instance’s postgres.js query pool. A worker’s pool is `WORKER_CONCURRENCY` + 1; every process also holds pg-boss connections, and the api one LISTEN connection. Each process logs its share and the server’s `max_connections` at start; docs/SCALING.md has the fleet budget.',
    allowed: 'an integer from 1 to 200',
    parse: int(1, 200),
    default: 10,
  },
  LOG_LEVEL: {
    description: 'Least severe log level written (JSON lines on stdout).',
    allowed: 'debug, info, warn or error',
    parse: oneOf('debug', 'info', 'warn', 'error'),
    default: 'info',
  },
  BODY_LIMIT_BYTES: {
    description: 'Largest JSON request body accepted; larger gets 413.',
    allowed: 'an integer from 1024 to 1073741824',
    parse: int(1024, 1024 ** 3),
    default: 1024 * 1024,
  },
  SHUTDOWN_TIMEOUT_MS: {
    description: 'How long in-flight requests and jobs may take to finish after SIGTERM.',
    allowed: 'an integer from 0 to 600000',
    parse: int(0, 600_000),
    default: 15_000,
  },
  WORKER_CONCURRENCY: {
    description: 'Jobs each worker process runs at once per queue.',
    allowed: 'an integer from 1 to 64',
    parse: int(1, 64),
    default: 2,
  },
  DATABASE_POOLER_URL: {
    description:
      'Optional connection pooler (PgBouncer in transaction mode) for the api’s query pool. Set: request queries go through it with prepared statements off, while LISTEN/NOTIFY, migrations and the job queue keep direct connections on `DATABASE_URL`. See docs/SCALING.md.',
    allowed: 'a postgres:// URL',
    parse: postgresUrl,
    optional: true,
    secret: true,
  },
  DB_ACQUIRE_TIMEOUT_MS: {
    description:
      'How long `/readyz` waits for a pool connection before it answers 503 (naming an exhausted pool or an unreachable database) instead of queueing.',
    allowed: 'an integer from 100 to 60000',
    parse: int(100, 60_000),
    default: 2000,
  },
  WORKERS_MIN: {
    description: 'Worker processes the supervisor (`bun jobs/supervisor.ts`) always keeps running on a host.',
    allowed: 'an integer from 1 to 200',
    parse: int(1, 200),
    default: 2,
  },
  WORKERS_MAX: {
    description:
      'Most worker processes the supervisor starts on a host (mind the connection budget: each worker holds `WORKER_CONCURRENCY` + 5 connections).',
    allowed: 'an integer from 1 to 200',
    parse: int(1, 200),
    default: 20,
  },
  WORKERS_SCALE_UP_AT: {
    description: 'The supervisor adds workers when ready jobs per worker exceed this (up to one worker per this many ready jobs).',
    allowed: 'an integer from 1 to 100000',
    parse: int(1, 100_000),
    default: 10,
  },
  WORKERS_COOLDOWN_SECONDS: {
    description:
      'The supervisor removes workers only after the backlog has been below half the scale-up level for this long (and this long after the last scale-up).',
    allowed: 'an integer from 0 to 86400',
    parse: int(0, 86_400),
    default: 300,
  },
  WORKERS_CHECK_SECONDS: {
    description: 'How often the supervisor reads the queue depth and decides.',
    allowed: 'a number from 0.2 to 300',
    parse: num(0.2, 300),
    default: 5,
  },
  SUPERVISOR_METRICS_PORT: {
    description:
      'Port the supervisor serves its /metrics on (desired and running workers, ready jobs, decisions; on `METRICS_HOST`). Its workers get `WORKER_METRICS_PORT` + slot when that is set. Unset: no metrics.',
    allowed: 'an integer from 0 to 65535',
    parse: int(0, 65535),
    optional: true,
  },
  CLOUDWATCH_NAMESPACE: {
    description:
      'Set: every worker supervisor publishes the queue depth (`ReadyJobs`, `ActiveJobs`) and its workers (`WorkersDesired`, `WorkersRunning`) to CloudWatch under this namespace once a minute, for an EC2 Auto Scaling target-tracking policy (docs/SCALING.md). Credentials: the AWS SDK’s chain (the instance role). Unset: nothing is published.',
    allowed: 'a CloudWatch namespace, e.g. KnowledgeTree',
    parse: str,
    optional: true,
  },
  CLOUDWATCH_ENDPOINT: {
    description: 'CloudWatch endpoint URL (a VPC endpoint). Unset: the SDK’s default for the region.',
    allowed: 'an http(s) URL',
    parse: url,
    optional: true,
  },
  CLOUDWATCH_REGION: {
    description: 'AWS region for CloudWatch. Unset: the SDK’s chain (`AWS_REGION`, the instance metadata).',
    allowed: 'an AWS region, e.g. eu-west-1',
    parse: str,
    optional: true,
  },
  CLOUDWATCH_AUTOSCALING_GROUP: {
    description: 'Adds the dimension `AutoScalingGroupName` with this value to the published metrics (the group the policy scales).',
    allowed: 'an Auto Scaling group name',
    parse: str,
    optional: true,
  },
  JWT_SECRET: {
    description:
      'HS256 key for access tokens (at least 32 characters; generate with `openssl rand -base64 48`). Unset outside production: a random per-data-dir key is generated and kept in `DATA_DIR`.',
    allowed: 'a string of at least 32 characters',
    parse: minLength(32),
    optional: true,
    secret: true,
  },
  ACCESS_TOKEN_TTL_SECONDS: {
    description:
      'Lifetime of an access token (the JWT each request carries); clients renew it with the refresh token. Logout and revocation do not wait for it to expire: the session behind it is checked on every request.',
    allowed: 'an integer from 30 to 86400',
    parse: int(30, 86_400),
    default: 900,
  },
  API_KEY_REQUESTS_PER_MINUTE: {
    description: 'Requests each personal API key may make per minute (across api instances); past it, 429 with Retry-After.',
    allowed: 'an integer from 1 to 100000',
    parse: int(1, 100_000),
    default: 300,
  },
  TRUSTED_PROXIES: {
    description:
      'Proxies (nginx, a load balancer) allowed to say who the client is, as IP addresses or CIDR ranges, e.g. `127.0.0.1/32` for nginx on the same host. From these peers the client is the right-most `X-Forwarded-For` address that is not itself listed; from any other peer the socket address is used and forwarded headers are ignored (with one warning in the log). Unset: no proxy is trusted.',
    allowed: 'comma-separated IP addresses or CIDR ranges, e.g. `127.0.0.1/32,10.0.0.0/8`',
    parse: parseCidrList,
    default: [] as Cidr[],
    defaultText: 'unset',
  },
  SMTP_URL: {
    description:
      'Outgoing mail server, e.g. `smtps://user:pass@smtp.example.com:465` or `smtp://localhost:1025`. Unset: emails (verification, password reset) are written to the log instead of sent — outside production only.',
    allowed: 'an smtp:// or smtps:// URL',
    parse: smtpUrl,
    optional: true,
    secret: true,
  },
  MAIL_FROM: {
    description: 'Sender of account emails.',
    allowed: 'an address, optionally with a name: `KnowledgeTree <no-reply@example.com>`',
    parse: str,
    default: 'KnowledgeTree <no-reply@localhost>',
  },
  GOOGLE_CLIENT_ID: {
    description:
      'Google OAuth client id; with the secret, offers "Sign in with Google". Redirect URL: `$PUBLIC_URL/api/auth/oauth/google/callback`.',
    allowed: 'a string',
    parse: str,
    optional: true,
  },
  GOOGLE_CLIENT_SECRET: { description: 'Google OAuth client secret.', allowed: 'a string', parse: str, optional: true, secret: true },
  GITHUB_CLIENT_ID: {
    description:
      'GitHub OAuth app client id; with the secret, offers "Sign in with GitHub". Callback URL: `$PUBLIC_URL/api/auth/oauth/github/callback`.',
    allowed: 'a string',
    parse: str,
    optional: true,
  },
  GITHUB_CLIENT_SECRET: { description: 'GitHub OAuth app client secret.', allowed: 'a string', parse: str, optional: true, secret: true },
  OIDC_ISSUER: {
    description:
      'OpenID Connect issuer URL for single sign-on (Keycloak realm, Authentik, Okta, Azure AD v2). Redirect URL: `$PUBLIC_URL/api/auth/oauth/oidc/callback`.',
    allowed: 'an http(s) URL',
    parse: url,
    optional: true,
  },
  OIDC_CLIENT_ID: { description: 'OpenID Connect client id.', allowed: 'a string', parse: str, optional: true },
  OIDC_CLIENT_SECRET: { description: 'OpenID Connect client secret.', allowed: 'a string', parse: str, optional: true, secret: true },
  OIDC_NAME: { description: 'Label of the SSO button.', allowed: 'a string', parse: str, default: 'SSO' },
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
  TRANSCRIPT_MAX_BYTES: {
    description: 'Largest transcript/subtitle upload; larger gets 413.',
    allowed: 'an integer from 1024 to 104857600',
    parse: int(1024, 100 * 1024 ** 2),
    default: 10 * 1024 ** 2,
  },
  AUDIO_MAX_BYTES: {
    description: 'Largest audio/video upload; larger gets 413. Files are kept in Postgres until transcribed.',
    allowed: 'an integer from 1024 to 1073741824',
    parse: int(1024, 1024 ** 3),
    default: 200 * 1024 ** 2,
  },
  YOUTUBE_PROXY_URL: {
    description: 'HTTP(S) proxy for YouTube requests (YouTube blocks many cloud IPs), e.g. `http://user:pass@proxy:8080`.',
    allowed: 'an http(s) URL',
    parse: url,
    optional: true,
    secret: true,
  },
  YOUTUBE_BASE_URL: {
    description: 'Where YouTube is reached (change only for a mirror or a test double).',
    allowed: 'an http(s) URL',
    parse: url,
    default: 'https://www.youtube.com',
  },
  TRANSCRIPTION_BASE_URL: {
    description:
      'OpenAI-compatible `/v1/audio/transcriptions` endpoint for audio/video uploads (OpenAI, Groq `https://api.groq.com/openai/v1`, a self-hosted whisper server). Unset: audio uploads are refused with a message saying so.',
    allowed: 'an http(s) URL',
    parse: url,
    optional: true,
  },
  TRANSCRIPTION_MODEL: {
    description: 'Transcription model (`whisper-1`, `whisper-large-v3`, …).',
    allowed: 'a model name',
    parse: str,
    default: 'whisper-1',
  },
  TRANSCRIPTION_API_KEY: {
    description: 'API key for the transcription endpoint.',
    allowed: 'a string',
    parse: str,
    optional: true,
    secret: true,
  },
  TRANSCRIPTION_MAX_UPLOAD_BYTES: {
    description: 'The endpoint’s per-request file limit; larger audio is split with ffmpeg.',
    allowed: 'an integer from 65536 to 1073741824',
    parse: int(65536, 1024 ** 3),
    default: 25 * 1024 ** 2,
  },
  ANTHROPIC_API_KEY: {
    description:
      'Claude API key. Unset: answers are built from the retrieved passages (extractive, labelled "no language model configured").',
    allowed: 'a string',
    parse: str,
    optional: true,
    secret: true,
  },
  ANTHROPIC_BASE_URL: {
    description: 'Anthropic API base URL (a gateway or proxy).',
    allowed: 'an http(s) URL',
    parse: url,
    default: 'https://api.anthropic.com',
  },
  ANTHROPIC_MODEL: { description: 'Claude model that answers.', allowed: 'a model id', parse: str, default: 'claude-sonnet-5-5' },
  ANTHROPIC_MODELS: {
    description:
      'Further Claude models a conversation’s answer settings may pick (`ANTHROPIC_MODEL` stays the default). The api refuses any model not listed.',
    allowed: 'model ids, comma-separated',
    parse: modelList,
    optional: true,
  },
  ANTHROPIC_REWRITE_MODEL: {
    description:
      'Claude model that rewrites a follow-up question into a standalone search query (one short call before retrieval; a fast model such as a Haiku one shortens time to first token). Unset: `ANTHROPIC_MODEL`.',
    allowed: 'a model id',
    parse: str,
    optional: true,
  },
  LLM_MAX_TOKENS: {
    description: 'Longest answer, in tokens.',
    allowed: 'an integer from 64 to 64000',
    parse: int(64, 64_000),
    default: 1500,
  },
  LLM_TEMPERATURE: {
    description: 'Sampling temperature, sent only when set (current Claude models choose their own; older ones accept 0–1).',
    allowed: 'a number from 0 to 1',
    parse: num(0, 1),
    optional: true,
  },
  LLM_MAX_RETRIES: {
    description: 'Retries (with backoff, honouring Retry-After) of 429/529/5xx answers that come before the first token.',
    allowed: 'an integer from 0 to 10',
    parse: int(0, 10),
    default: 3,
  },
  STRIPE_SECRET_KEY: {
    description:
      'Stripe secret key (`sk_live_…`, `sk_test_…` or a restricted `rk_…` key). Set: billing is on (plans, Checkout, Customer Portal, quotas per plan). Unset: billing is off and nothing calls Stripe.',
    allowed: 'a Stripe secret or restricted key',
    parse: stripeKey,
    optional: true,
    secret: true,
  },
  STRIPE_WEBHOOK_SECRET: {
    description:
      'Signing secret of the webhook endpoint `$PUBLIC_URL/api/billing/webhook` (`whsec_…`, shown in the Stripe Dashboard). Required with `STRIPE_SECRET_KEY`.',
    allowed: 'a string starting with whsec_',
    parse: prefixed('whsec_'),
    optional: true,
    secret: true,
  },
  STRIPE_API_URL: {
    description: 'Where the Stripe API is reached (change only for a test double such as `testing/stripe`).',
    allowed: 'an http(s) URL',
    parse: url,
    optional: true,
  },
  DEFAULT_PLAN: {
    description:
      'Plan of every account without a subscription: `unlimited` (no quotas) or a plan id from the catalogue. Default: `unlimited` when billing is off, `free` when it is on.',
    allowed: 'unlimited or a plan id from the catalogue',
    parse: planId,
    optional: true,
  },
  PLANS_FILE: {
    description:
      'The plan catalogue (plans, prices, limits) as JSON; copy `server/billing/plans.json` to change it, then run `make stripe-sync`.',
    allowed: 'a file path',
    parse: str,
    default: 'server/billing/plans.json',
  },
  BILLING_GRACE_DAYS: {
    description: 'Days a past-due subscription keeps its plan before the account falls back to the default plan.',
    allowed: 'an integer from 0 to 60',
    parse: int(0, 60),
    default: 7,
  },
  SALES_EMAIL: {
    description: 'Where the pricing page’s Enterprise contact form is emailed. Unset: the form is not offered.',
    allowed: 'an email address',
    parse: email,
    optional: true,
  },
  METRICS_TOKEN: {
    description:
      'Bearer token every `/metrics` endpoint (Prometheus text) requires. Unset: the api answers /metrics only to connections from the same host, and in production not at all on its public port (a same-host proxy would make every visitor look local): use this token or `METRICS_PORT`.',
    allowed: 'a string of at least 16 characters',
    parse: minLength(16),
    optional: true,
    secret: true,
  },
  METRICS_PORT: {
    description:
      'Serve the api’s /metrics on this separate port (on `METRICS_HOST`) instead of its public one, where /metrics then answers 404. Keep it off the internet (firewall); `METRICS_TOKEN` still applies when set.',
    allowed: 'an integer from 0 to 65535',
    parse: int(0, 65535),
    optional: true,
  },
  METRICS_HOST: {
    description:
      'Interface the separate metrics listeners (`METRICS_PORT`, `WORKER_METRICS_PORT`) bind to; a private address when Prometheus runs on another host.',
    allowed: 'a host name or IP address',
    parse: str,
    default: '127.0.0.1',
  },
  WORKER_METRICS_PORT: {
    description:
      'Port a worker process serves /metrics on (on `METRICS_HOST`); each worker on a host needs its own (systemd: `Environment=WORKER_METRICS_PORT=941%i`). 0 picks a free port and logs it. Unset: the worker serves no metrics.',
    allowed: 'an integer from 0 to 65535',
    parse: int(0, 65535),
    optional: true,
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    description:
      'OTLP/HTTP endpoint traces are sent to (`/v1/traces` is appended): an OpenTelemetry Collector, Jaeger, Tempo, Honeycomb, Grafana Cloud. Unset: tracing is off and costs nothing. Headers (API keys) go in `OTEL_EXPORTER_OTLP_HEADERS`, read by the exporter.',
    allowed: 'an http(s) URL',
    parse: url,
    optional: true,
  },
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {
    description: 'Full OTLP/HTTP traces URL, used as is; overrides `OTEL_EXPORTER_OTLP_ENDPOINT`.',
    allowed: 'an http(s) URL',
    parse: url,
    optional: true,
  },
  OTEL_SERVICE_NAME: {
    description: 'Service name on every span. Unset: `knowledgetree-api` for the api, `knowledgetree-worker` for workers.',
    allowed: 'a string',
    parse: str,
    optional: true,
  },
  OTEL_RESOURCE_ATTRIBUTES: {
    description: 'Extra resource attributes on every span, e.g. `deployment.environment.name=production,service.instance.id=app1-3001`.',
    allowed: 'key=value pairs separated by commas (percent-encoded)',
    parse: str,
    optional: true,
  },
  OTEL_TRACES_SAMPLER: {
    description:
      'Which traces are kept. `parentbased_traceidratio` with `OTEL_TRACES_SAMPLER_ARG=0.1` keeps a tenth of new traces and follows the caller’s decision for continued ones.',
    allowed: 'always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio',
    parse: oneOf('always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'),
    default: 'parentbased_always_on',
  },
  OTEL_TRACES_SAMPLER_ARG: {
    description: 'Sampling ratio for the `*traceidratio` samplers.',
    allowed: 'a number from 0 to 1',
    parse: num(0, 1),
    optional: true,
  },
  SENTRY_DSN: {
    description:
      'Sentry (or GlitchTip) DSN the api and workers report errors to: every 5xx answer, every job that fails its last attempt, uncaught exceptions; scrubbed of emails, tokens, cookies, bodies and query strings. Unset: nothing is reported or installed.',
    allowed: 'a DSN such as https://<key>@o1.ingest.sentry.io/<project>',
    parse: sentryDsn,
    optional: true,
    secret: true,
  },
  SENTRY_BROWSER_DSN: {
    description:
      'DSN the web app reports browser errors to (it is visible to visitors, as browser DSNs are; give it its own project). Unset: the browser reports nothing and loads no Sentry code.',
    allowed: 'a DSN',
    parse: sentryDsn,
    optional: true,
  },
  SENTRY_ENVIRONMENT: {
    description: 'Environment name on error reports. Unset: `NODE_ENV`.',
    allowed: 'a string',
    parse: str,
    optional: true,
  },
  SENTRY_RELEASE: {
    description: 'Release name on error reports. Unset: the commit of the deployed release (its RELEASE file), else `git rev-parse HEAD`.',
    allowed: 'a string',
    parse: str,
    optional: true,
  },
  WEB_DIST_DIR: {
    description: 'Built SolidStart app served for every non-API path (`make build` writes it).',
    allowed: 'a directory path',
    parse: str,
    default: 'client/.output',
  },
} satisfies Record<string, Spec<unknown>>

for (const [name, spec] of Object.entries(configSpec)) if ('secret' in spec && spec.secret) SECRET_NAMES.add(name)

type SpecOf = typeof configSpec
type ValueOf<S> = S extends { parse: Parser<infer T> } ? (S extends { optional: true } ? T | undefined : T) : never
export type Config = { [K in keyof SpecOf]: ValueOf<SpecOf[K]> }

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const out: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(configSpec) as [string, Spec<unknown>][]) {
    const raw = env[name]
    if (raw === undefined || raw === '') {
      if ('default' in spec) out[name] = spec.default
      else if ('required' in spec) throw new ConfigError(name, spec.allowed, undefined)
      else out[name] = undefined
      continue
    }
    try {
      out[name] = spec.parse(raw)
    } catch {
      throw new ConfigError(name, spec.allowed, raw)
    }
  }
  const config = out as Config
  // Renamed settings: refuse the old name rather than silently ignore it.
  if (env.TRUST_PROXY !== undefined && env.TRUST_PROXY !== '')
    throw new ConfigError(
      'TRUST_PROXY',
      'unset: it is replaced by TRUSTED_PROXIES, the addresses of the proxies in front (e.g. 127.0.0.1/32)',
      env.TRUST_PROXY,
    )
  if (env.PUBLIC_URL === undefined || env.PUBLIC_URL === '') config.PUBLIC_URL = `http://localhost:${config.PORT}`
  for (const [id, secret] of [
    ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
    ['GITHUB_CLIENT_ID', 'GITHUB_CLIENT_SECRET'],
    ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'],
  ] as const) {
    if (Boolean(config[id]) !== Boolean(config[secret]))
      throw new ConfigError(config[id] ? secret : id, `to be set together with ${config[id] ? id : secret}`, undefined)
  }
  if (Boolean(config.OIDC_ISSUER) !== Boolean(config.OIDC_CLIENT_ID))
    throw new ConfigError(
      config.OIDC_ISSUER ? 'OIDC_CLIENT_ID' : 'OIDC_ISSUER',
      'to be set together with the other OIDC_* settings',
      undefined,
    )
  if (config.STRIPE_SECRET_KEY && !config.STRIPE_WEBHOOK_SECRET)
    throw new ConfigError(
      'STRIPE_WEBHOOK_SECRET',
      'a whsec_… secret (required with STRIPE_SECRET_KEY: without it no plan change would ever arrive)',
      undefined,
    )
  if (config.WORKERS_MIN > config.WORKERS_MAX)
    throw new ConfigError('WORKERS_MIN', `at most WORKERS_MAX (${config.WORKERS_MAX})`, String(config.WORKERS_MIN))
  if (config.NODE_ENV === 'production' && !config.JWT_SECRET)
    throw new ConfigError('JWT_SECRET', 'a string of at least 32 characters (required when NODE_ENV=production)', undefined)
  if (config.NODE_ENV === 'production' && config.JWT_SECRET && estimateSecretBits(config.JWT_SECRET) < MIN_SECRET_BITS)
    throw new ConfigError(
      'JWT_SECRET',
      `a random secret: this one is too predictable (a repeated character or pattern); generate one with \`openssl rand -base64 48\``,
      config.JWT_SECRET,
    )
  // The embedded database accepts any local connection without a password and
  // runs one query at a time: a development convenience, not a server.
  if (config.NODE_ENV === 'production' && !config.DATABASE_URL && !config.ALLOW_EMBEDDED_DB_IN_PRODUCTION)
    throw new ConfigError(
      'DATABASE_URL',
      'a postgres:// URL (required when NODE_ENV=production; set ALLOW_EMBEDDED_DB_IN_PRODUCTION=true to run the embedded database anyway)',
      undefined,
    )
  return config
}

// Enough for a random key; `openssl rand -base64 48` estimates at ~300.
const MIN_SECRET_BITS = 96

/**
 * A rough lower bound on a secret's entropy: the Shannon entropy of its
 * characters times its length, counting a secret that repeats a shorter unit
 * as that unit. Catches "aaaa…", "abcabc…" and "password-password-…".
 */
export function estimateSecretBits(secret: string): number {
  const unit = /^([\s\S]+?)\1+$/.exec(secret)?.[1] ?? secret
  const counts = new Map<string, number>()
  for (const ch of unit) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let bitsPerChar = 0
  for (const n of counts.values()) bitsPerChar -= (n / unit.length) * Math.log2(n / unit.length)
  return bitsPerChar * unit.length
}

/** Loads the config or ends the process with a message that names the variable. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`)
      process.exit(78) // EX_CONFIG
    }
    throw err
  }
}
