// Error reporting through the real Sentry SDK into a local envelope receiver:
// a failure injected into a real request (a database trigger that raises) is
// reported once, with release, environment, request id and trace id, and with
// nothing personal or secret anywhere in what was sent.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { makeUser, type TestUser } from '../testing/factories.ts'
import { startOtlpReceiver, type OtlpReceiver } from '../testing/otlp/receiver.ts'
import { startSentryReceiver, type SentryReceiver } from '../testing/sentry/receiver.ts'
import { createTestApp, type TestApp } from '../testing/testApp.ts'
import { loadConfig } from './platform/config.ts'
import { startErrorReporting, type ErrorReporting } from './platform/errorReporting.ts'
import { createLogger } from './platform/logger.ts'
import { scrubEvent } from './platform/scrub.ts'
import { startTracing, type Tracing } from './platform/tracing.ts'
import { startServer, type RunningServer } from './server.ts'

let sentry: SentryReceiver
let otlp: OtlpReceiver
let tracing: Tracing
let reporting: ErrorReporting
let ctx: TestApp
let api: RunningServer
let user: TestUser

beforeAll(async () => {
  sentry = startSentryReceiver()
  otlp = startOtlpReceiver()
  tracing = startTracing(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url }), 'knowledgetree-test')!
  reporting = startErrorReporting(
    loadConfig({ NODE_ENV: 'test', SENTRY_DSN: sentry.dsn, SENTRY_RELEASE: 'kt-test-release', SENTRY_ENVIRONMENT: 'staging' }),
    'api',
    { processHandlers: false },
  )!
  ctx = await createTestApp()
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: ctx.db.url,
    PORT: '0',
    LOG_LEVEL: 'error',
    JWT_SECRET: ctx.config.JWT_SECRET!,
    PUBLIC_URL: ctx.config.PUBLIC_URL,
  })
  api = await startServer(
    config,
    createLogger('error', { service: 'api' }, () => {}),
    { web: null },
  )
  user = await makeUser(ctx.db.sql, ctx.config)
})
afterAll(async () => {
  await api.stop()
  await ctx.close()
  await reporting.close()
  await tracing.shutdown()
  await otlp.stop()
  await sentry.stop()
})

test('no SENTRY_DSN: nothing is installed', () => {
  expect(startErrorReporting(loadConfig({ NODE_ENV: 'test' }), 'api')).toBeNull()
})

test('an injected failure arrives once, with release, environment, request and trace ids, and scrubbed', async () => {
  const leakedEmail = 'mallory.leak@example.org'
  const leakedJwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrIn0.c2lnbmF0dXJlLXZhbHVl'
  // The database refuses new collections with a message full of secrets, as a real driver error might be.
  await ctx.db.sql.unsafe(`
    create function kt_test_boom() returns trigger language plpgsql as $$
    begin raise exception 'collection insert failed for ${leakedEmail} (token ${leakedJwt}, password=hunter2-secret)'; end $$;
    create trigger kt_test_boom before insert on collections for each row execute function kt_test_boom();`)
  const traceId = '7d1e3f3577b34da6a3ce929d0e0e4701'
  const headers = new Headers({
    'content-type': 'application/json',
    traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    cookie: 'kt_refresh=cookie-secret-value-0123456789abcdef',
  })
  for (const [k, v] of Object.entries(user.bearer)) headers.set(k, v)
  const res = await fetch(`${api.url}/api/collections`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: `Notes of ${leakedEmail}` }),
  })
  expect(res.status).toBe(500)
  const requestId = res.headers.get('x-request-id') ?? ((await res.json()) as { requestId: string }).requestId
  expect(requestId).toBeTruthy()

  await reporting.flush()
  await sentry.waitFor(() => sentry.events().some((e) => (e.tags as Record<string, unknown>)?.request_id === requestId))
  // Flush again: a duplicate would have been sent by now.
  await reporting.flush()
  const events = sentry.events().filter((e) => (e.tags as Record<string, unknown>)?.request_id === requestId)
  expect(events).toHaveLength(1)
  const event = events[0] as {
    release: string
    environment: string
    tags: Record<string, unknown>
    exception: { values: { type: string; value: string }[] }
  }
  expect(event.release).toBe('kt-test-release')
  expect(event.environment).toBe('staging')
  expect(event.tags).toMatchObject({ request_id: requestId, trace_id: traceId, method: 'POST', service: 'api' })
  expect(event.tags.route).toMatch(/^\/api\/collections\/?$/)
  const exception = event.exception.values.at(-1)!
  expect(exception.value).toContain('collection insert failed for [email]')
  expect(exception.value).toContain('password=[Filtered]')

  // Nothing that identifies or authenticates anyone, anywhere in what was sent.
  const raw = sentry.envelopes.map((e) => e.raw).join('\n')
  const bearer = Object.values(user.bearer)[0]!.replace(/^Bearer /, '')
  for (const secret of [leakedEmail, leakedJwt, 'hunter2-secret', 'cookie-secret-value', bearer, user.email])
    expect(raw).not.toContain(secret)
})

test('scrubEvent keeps the shape of a report and drops request bodies, cookies, headers, query strings and user details', () => {
  type Loose = {
    message?: unknown
    request?: unknown
    user?: unknown
    extra?: unknown
    breadcrumbs?: unknown
    contexts?: unknown
    exception: { values: { type: string; value: string; stacktrace: { frames: unknown[] } }[] }
  }
  const event = scrubEvent<Loose>({
    message: 'login failed for ann@example.com',
    request: {
      url: 'https://kt.example/api/auth/verify?token=abcdefabcdefabcdefabcdefabcdef0123456789',
      query_string: 'token=abc',
      data: '{"password":"x"}',
      cookies: { kt_refresh: 'v' },
      headers: { Authorization: 'Bearer abc', Cookie: 'a=b', 'User-Agent': 'curl/8', 'X-Api-Key': 'k' },
    },
    user: { id: 'u1', email: 'ann@example.com', ip_address: '203.0.113.9', username: 'ann' },
    extra: { sessionToken: 'abc', nested: { note: 'mail bob@example.com', accessToken: 'x' } },
    breadcrumbs: [{ message: 'GET /api/auth?code=secret' }],
    contexts: { trace: { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' } },
    exception: {
      values: [{ type: 'Error', value: 'Bearer eyJx.eyJy.z', stacktrace: { frames: [{ function: 'f', vars: { password: 'p' } }] } }],
    },
  })
  expect(event.message).toBe('login failed for [email]')
  expect(event.request).toEqual({ url: 'https://kt.example/api/auth/verify', headers: { 'User-Agent': 'curl/8' } })
  expect(event.user).toEqual({ id: 'u1' })
  expect(event.extra).toEqual({ sessionToken: '[Filtered]', nested: { note: 'mail [email]', accessToken: '[Filtered]' } })
  expect(event.breadcrumbs).toBeUndefined()
  expect(event.contexts).toEqual({ trace: { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' } })
  expect(event.exception.values[0]!.value).toBe('Bearer [Filtered]')
  expect(event.exception.values[0]!.stacktrace.frames[0]).toEqual({ function: 'f' })
})
