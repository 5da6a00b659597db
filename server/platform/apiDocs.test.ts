// The interactive API reference loads its viewer from a CDN, so production
// serves it only when asked (API_DOCS=on); the OpenAPI document stays public.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'

let off: TestApp
let on: TestApp
beforeAll(async () => {
  ;[off, on] = await Promise.all([createTestApp({ API_DOCS: 'off' }), createTestApp({ API_DOCS: 'on' })])
})
afterAll(async () => {
  await Promise.all([off.close(), on.close()])
})

test('API_DOCS=off: no docs page, the OpenAPI JSON is still public', async () => {
  expect((await off.app.handle(request('/api/docs'))).status).toBe(404)
  const spec = await off.app.handle(request('/api/openapi.json'))
  expect(spec.status).toBe(200)
  expect((await spec.json()).info.title).toBe('KnowledgeTree API')
})

test('API_DOCS=on serves the page', async () => {
  const page = await on.app.handle(request('/api/docs'))
  expect(page.status).toBe(200)
  expect(page.headers.get('content-type')).toContain('text/html')
})
