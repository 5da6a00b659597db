import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'

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
