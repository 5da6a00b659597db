import { afterEach, expect, test } from 'bun:test'
import { startOtlpReceiver, type OtlpReceiver } from './receiver.ts'

// Two resources, three spans: the shape the OTLP/HTTP exporter posts.
const body = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
      scopeSpans: [{ scope: { name: 'knowledgetree' }, spans: [span('a1'), span('a2')] }],
    },
    { resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'knowledgetree' }, spans: [span('b1')] }] },
  ],
}

function span(name: string) {
  return { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name, kind: 2, startTimeUnixNano: '1', endTimeUnixNano: '2' }
}

let receiver: OtlpReceiver | null = null
afterEach(async () => {
  await receiver?.stop()
  receiver = null
})

const post = (r: OtlpReceiver) =>
  fetch(`${r.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

test('the receiver keeps and counts the spans it is sent', async () => {
  receiver = startOtlpReceiver()
  expect((await post(receiver)).status).toBe(200)
  expect(receiver.received).toBe(3)
  expect(receiver.spans.map((s) => [s.name, s.resource['service.name'] ?? null])).toEqual([
    ['a1', 'api'],
    ['a2', 'api'],
    ['b1', null],
  ])
})

test('a receiver started with keepSpans: false counts the spans and keeps none', async () => {
  receiver = startOtlpReceiver({ keepSpans: false })
  await post(receiver)
  await post(receiver)
  expect(receiver.received).toBe(6)
  expect(receiver.requests).toBe(2)
  expect(receiver.spans).toEqual([])
})

test('what is not OTLP/JSON on /v1/traces is refused as a collector would', async () => {
  receiver = startOtlpReceiver({ keepSpans: false })
  expect(
    (await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: 'x' })).status,
  ).toBe(415)
  expect((await fetch(`${receiver.url}/v1/traces`)).status).toBe(405)
  expect((await fetch(`${receiver.url}/v1/metrics`, { method: 'POST' })).status).toBe(404)
  expect(receiver.received).toBe(0)
})
