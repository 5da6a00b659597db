// Feature hashing without a string per feature: FNV-1a over a range of UTF-16
// code units, finished with murmur3's fmix32 so nearby inputs spread over all
// bits. It is written out here rather than taken from Bun.hash because stored
// vectors depend on it bit for bit: it must never change with a runtime upgrade.

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

/** Hash of `s.slice(from, to)` under `seed`, as an unsigned 32-bit integer. */
export function featureHash(s: string, from: number, to: number, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, FNV_PRIME)
  }
  return fmix32(h)
}

/** Order-sensitive combination of two hashes (for word bigrams). */
export function combineHashes(a: number, b: number, seed: number): number {
  return fmix32((Math.imul(a ^ seed, 0x9e3779b1) ^ b) >>> 0)
}

function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}
