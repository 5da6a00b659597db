// Composes the capability plugins into one Elysia app. Cross-cutting concerns
// (request ids, body limits, logging, problem+json errors) are wired here once.
import { Elysia } from 'elysia'
import { openapi } from '@elysiajs/openapi'
import type { JobQueue } from './platform/jobQueue.ts'
import type { MailJob } from './platform/queues.ts'
import { createAccessTokens, resolveJwtSecret } from './auth/accessTokens.ts'
import { cookieNames } from './auth/cookies.ts'
import { authGuard } from './auth/guard.ts'
import { authRoutes } from './auth/index.ts'
import { configuredProviders, type OAuthProvider, type ProviderId } from './auth/oauth.ts'
import { apiKeyRoutes } from './apiKeys/index.ts'
import { artifactRoutes } from './artifacts/index.ts'
import { createBilling, type Billing } from './billing/billing.ts'
import { createQuotaGate, createUploadMeter } from './billing/gates.ts'
import { billingRoutes } from './billing/index.ts'
import { capabilityRoutes } from './capabilities/index.ts'
import { chatRoutes, sharedConversationRoutes } from './chat/index.ts'
import { getConversationAccess } from './chat/sql.ts'
import { getArtifactAccess } from './artifacts/sql.ts'
import type { TargetResolvers } from './collections/access.ts'
import { accessGuard } from './collections/accessGuard.ts'
import { collectionRoutes } from './collections/index.ts'
import { apiDocsRoutes } from './platform/apiDocs.ts'
import { createGenerationMetrics } from './generation/generationMetrics.ts'
import { invitationRoutes, sharingRoutes } from './sharing/index.ts'
import type { StreamHub } from './generation/streamHub.ts'
import { retrievalRoutes } from './retrieval/index.ts'
import { createReranker } from './retrieval/reranker.ts'
import { createClientAddress } from './platform/clientAddress.ts'
import { videoRoutes } from './videos/index.ts'
import type { ProgressHub } from './videos/progressHub.ts'
import { getVideoCollection } from './videos/sql.ts'
import type { Config } from './platform/config.ts'
import type { Db, Sql } from './platform/db.ts'
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './platform/errors.ts'
import { healthRoutes } from './platform/health.ts'
import { describeServerSpan } from './platform/httpTracing.ts'
import { metricsRoute } from './platform/metricsRoute.ts'
import { openSseStreams } from './platform/sse.ts'
import type { StreamAccess } from './platform/streamAccess.ts'
import type { SessionCache } from './auth/sessionCache.ts'
import { createTelemetry, type Telemetry } from './platform/telemetry.ts'
import type { Logger } from './platform/logger.ts'
import { toProblem } from './platform/problem.ts'
import type { QuotaGate } from './platform/quotaGate.ts'
import { readJsonBody } from './platform/readBody.ts'
import { beginRequest, requestMeta } from './platform/requestContext.ts'

export type AppDeps = {
  config: Config
  sql: Sql
  logger: Logger
  queue: JobQueue
  /** Defaults to the providers configured in `config`; tests pass their own. */
  providers?: Map<ProviderId, OAuthProvider>
  hub: ProgressHub
  streams: StreamHub
  /** Ends open streams whose reader lost access (server/platform/streamAccess.ts). */
  access: StreamAccess
  /** Live sessions remembered per process (server/auth/sessionCache.ts). */
  sessions: SessionCache
  quota?: QuotaGate
  /** Defaults to billing built from `config` (off without STRIPE_SECRET_KEY). */
  billing?: Billing
  telemetry?: Telemetry
  /** /metrics is served by a separate listener (METRICS_PORT): the api's own path answers 404. */
  metricsOnSeparatePort?: boolean
}

const WEBHOOK_PATH = '/api/billing/webhook'
const UPLOAD_PATH = /^\/api\/collections\/[^/]+\/videos\/(transcripts|audio)$/
function isUploadPath(path: string): boolean {
  return UPLOAD_PATH.test(path)
}

// Uploads have their own, larger limits; everything else gets BODY_LIMIT_BYTES.
function bodyLimitFor(path: string, config: Config): number {
  if (/^\/api\/collections\/[^/]+\/videos\/transcripts$/.test(path)) return config.TRANSCRIPT_MAX_BYTES + 65_536
  if (/^\/api\/collections\/[^/]+\/videos\/audio$/.test(path)) return config.AUDIO_MAX_BYTES + 65_536
  return config.BODY_LIMIT_BYTES
}

// How the access guard finds the collection of a path id: each capability answers for its own rows.
const ACCESS_TARGETS: TargetResolvers = { video: getVideoCollection, conversation: getConversationAccess, artifact: getArtifactAccess }

export function createApp(deps: AppDeps) {
  const { logger, config, sql } = deps
  const jwtSecret = resolveJwtSecret(config)
  const tokens = createAccessTokens(jwtSecret, config.PUBLIC_URL, config.ACCESS_TOKEN_TTL_SECONDS)
  const cookies = cookieNames(config.PUBLIC_URL)
  const outbox = (job: MailJob, tx?: Db) => deps.queue.send('mail', job, { tx })
  const providers = deps.providers ?? configuredProviders(config)
  const telemetry = deps.telemetry ?? createTelemetry('knowledgetree-api')
  const billing = deps.billing ?? createBilling(config, telemetry.meter)
  const clientIp = createClientAddress(config.TRUSTED_PROXIES, logger)
  const quota = deps.quota ?? createQuotaGate(sql, billing)
  const meter = createUploadMeter(billing)
  telemetry.meter
    .createObservableGauge('kt.sse.streams.open', { description: 'Server-Sent Event streams open in this process.' })
    .addCallback((r) => r.observe(openSseStreams()))
  // Off (null) without RERANK_BASE_URL; one instance, so its counter is registered once.
  const reranker = createReranker(config, { meter: telemetry.meter, logger })
  const generation = {
    sql,
    config,
    logger,
    hub: deps.streams,
    access: deps.access,
    quota,
    metrics: createGenerationMetrics(telemetry.meter),
  }
  return (
    new Elysia({ name: 'knowledgetree' })
      .onRequest(({ request }) => {
        beginRequest(request)
        const length = Number(request.headers.get('content-length') ?? 0)
        const limit = bodyLimitFor(new URL(request.url).pathname, config)
        if (length > limit) throw new PayloadTooLargeError(limit)
      })
      // JSON bodies are read with a hard size limit. Upload routes read their own
      // multipart stream (with their own limit), so their body is left untouched.
      // Anything else is not a body this API takes.
      .onParse({ as: 'global' }, async ({ request, contentType }) => {
        const path = new URL(request.url).pathname
        // Stripe signs the exact bytes it sent: the webhook route reads them itself.
        if (path === WEBHOOK_PATH) return {}
        if (contentType === 'application/json' || contentType?.endsWith('+json')) return readJsonBody(request, config.BODY_LIMIT_BYTES)
        if (isUploadPath(path)) return {}
        // A bodyless POST (retry, logout) carries no content type.
        if (!contentType && !request.body) return undefined
        throw new UnsupportedMediaTypeError('Send the body as application/json.')
      })
      .onError({ as: 'global' }, ({ code, error, request, path, route }) => {
        const meta = requestMeta(request)
        const response = toProblem({ code, error, requestId: meta.id, logger, method: request.method, path, route: route || undefined })
        meta.errorStatus = response.status
        describeServerSpan(request, route, meta.id)
        return response
      })
      .onAfterHandle({ as: 'global' }, ({ request, route, set }) => {
        const { id } = requestMeta(request)
        set.headers['x-request-id'] = id
        describeServerSpan(request, route, id)
      })
      .onAfterResponse({ as: 'global' }, ({ request, route, set }) => {
        const meta = requestMeta(request)
        const status = meta.errorStatus ?? (typeof set.status === 'number' ? set.status : 200)
        const seconds = (performance.now() - meta.startedAt) / 1000
        logger.info('request', {
          requestId: meta.id,
          method: request.method,
          route: route || new URL(request.url).pathname,
          status,
          durationMs: Math.round(seconds * 10_000) / 10,
        })
        // Unmatched paths share one label so scanners cannot blow up the series count.
        telemetry.httpRequest({ method: request.method, route: route || '(unmatched)', status }, seconds)
      })
      .use(
        authGuard({
          sql,
          sessions: deps.sessions,
          tokens,
          cookies,
          publicUrl: config.PUBLIC_URL,
          apiKeyRequestsPerMinute: config.API_KEY_REQUESTS_PER_MINUTE,
        }),
      )
      .use(accessGuard({ sql, targets: ACCESS_TARGETS }))
      .use(
        openapi({
          // The spec only; the reference page is ours (apiDocs.ts), served from the app's own files.
          provider: null,
          specPath: '/api/openapi.json',
          documentation: {
            info: { title: 'KnowledgeTree API', version: '0.1.0', description: 'Collections of videos you can search and chat with.' },
          },
        }),
      )
      .use((config.API_DOCS ?? config.NODE_ENV !== 'production') ? apiDocsRoutes() : new Elysia({ name: 'api-docs-off' }))
      .use(healthRoutes({ sql, queueStarted: () => deps.queue.isStarted(), acquireTimeoutMs: config.DB_ACQUIRE_TIMEOUT_MS, logger }))
      .use(
        metricsRoute({
          telemetry,
          token: config.METRICS_TOKEN ?? null,
          clientIp,
          production: config.NODE_ENV === 'production',
          separatePort: deps.metricsOnSeparatePort ?? false,
        }),
      )
      .use(capabilityRoutes({ config, billing }))
      .use(authRoutes({ sql, outbox, tokens, cookies, cookieSecret: jwtSecret, publicUrl: config.PUBLIC_URL, clientIp, providers, meter }))
      .use(apiKeyRoutes({ sql }))
      .use(collectionRoutes({ sql, meter }))
      .use(billingRoutes({ sql, billing, queue: deps.queue, logger, clientIp }))
      .use(sharingRoutes({ sql, outbox, billing, publicUrl: config.PUBLIC_URL }))
      .use(invitationRoutes({ sql, billing }))
      .use(videoRoutes({ sql, config, queue: deps.queue, hub: deps.hub, meter, access: deps.access }))
      .use(retrievalRoutes({ sql, config, logger, reranker }))
      .use(chatRoutes({ ...generation, reranker }))
      .use(sharedConversationRoutes({ sql }))
      .use(artifactRoutes(generation))
  )
}

export type App = ReturnType<typeof createApp>
