import { expect, test } from 'bun:test'
import { packNotifications, unpackNotification } from './streamEvents.ts'

test('stream notifications are packed into payloads under the 8000-byte NOTIFY limit and unpack to the same ids', () => {
  const ids = Array.from({ length: 1000 }, () => crypto.randomUUID())
  const packed = packNotifications(ids.map((id, i) => `${id}:${i + 1}`))
  expect(packed.length).toBeGreaterThan(1)
  expect(packed.length).toBeLessThan(10)
  for (const p of packed) expect(new TextEncoder().encode(p).byteLength).toBeLessThan(8000)
  expect(packed.flatMap(unpackNotification)).toEqual(ids)
})
