// Comparing secrets (tokens, OAuth state) in constant time, so the time a
// comparison takes reveals nothing about how much of a guess was right.
import { timingSafeEqual } from 'node:crypto'

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
