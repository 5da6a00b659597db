import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startNginx } from '../../testing/startNginx.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { startServer, type RunningServer } from '../server.ts'
import { loadConfig } from './config.ts'
import { createLogger } from './logger.ts'

let ctx: TestApp
beforeAll(async () => {
  ctx = await createTestApp({ METRICS_TOKEN: 'metrics-token-0123456789' })
})
afterAll(() => ctx.close())

test('/metrics needs the token and then shows request durations by route in Prometheus text', async () => {
  await ctx.app.handle(request('/healthz'))
  // The request is recorded once its response has gone out.
  await Bun.sleep(20)
  expect((await ctx.app.handle(request('/metrics'))).status).toBe(401)
  expect((await ctx.app.handle(request('/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789' } }))).status).toBe(401)
  const res = await ctx.app.handle(request('/metrics', { headers: { authorization: 'Bearer metrics-token-0123456789' } }))
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/plain')
  const text = await res.text()
  expect(text).toContain('# TYPE http_server_request_duration histogram')
  expect(text).toMatch(/http_server_request_duration_count\{[^}]*http_route="\/healthz"[^}]*\} 1/)
  expect(text).toContain('kt_sse_streams_open')
})

describe('without a token in production', () => {
  // A same-host nginx makes every visitor's request come from 127.0.0.1: the
  // api cannot tell them from a local scraper, so it refuses them all.
  let api: RunningServer
  let nginx: Awaited<ReturnType<typeof startNginx>>
  beforeAll(async () => {
    api = await startServer(
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: ctx.db.url, PORT: '0', LOG_LEVEL: 'error', JWT_SECRET: ctx.config.JWT_SECRET! }),
      createLogger('error'),
      { web: null },
    )
    nginx = await startNginx(new URL(api.url).host, { allowMetrics: true })
  })
  afterAll(async () => {
    await nginx.stop()
    await api.stop()
  })

  test('/metrics answers nobody, not even a request from 127.0.0.1 or one relayed by a same-host proxy that forgot to block it', async () => {
    const direct = await fetch(`${api.url}/metrics`)
    expect(direct.status).toBe(403)
    expect((await direct.json()).code).toBe('metrics_forbidden')
    expect((await fetch(`${nginx.url}/metrics`)).status).toBe(403)
    expect((await fetch(`${nginx.url}/healthz`)).status).toBe(200)
  })
})

test('with METRICS_PORT the metrics move to their own listener and the public path is gone', async () => {
  const api = await startServer(
    loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: ctx.db.url,
      PORT: '0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'error',
      JWT_SECRET: ctx.config.JWT_SECRET!,
    }),
    createLogger('error'),
    { web: null },
  )
  try {
    expect((await fetch(`${api.url}/metrics`)).status).toBe(404)
    const res = await fetch(api.metricsUrl!)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('# TYPE process_memory_usage gauge')
    expect(new URL(api.metricsUrl!).hostname).toBe('127.0.0.1')
  } finally {
    await api.stop()
  }
})
