// Deterministic stand-in vectors: hashed bag of words, so the same text always
// gets the same vector (in any batch, at any position) and texts sharing words
// point in similar directions, which keeps retrieval tests meaningful.

const WORD = /[\p{L}\p{N}]+/gu

export function fakeEmbedding(text: string, dimensions: number, unitLength: boolean): number[] {
  const vector = new Array<number>(dimensions).fill(0)
  const words = text.toLowerCase().match(WORD) ?? []
  // Text without words still needs a non-zero, text-specific vector.
  const features = words.length > 0 ? words : [text]
  for (const feature of features) {
    const h = fnv1a(feature)
    vector[h % dimensions]! += h & 0x80000000 ? -1 : 1
    // A second, independent slot makes collisions between two words rarer.
    const h2 = fnv1a(`#${feature}`)
    vector[h2 % dimensions]! += h2 & 0x80000000 ? -0.5 : 0.5
  }
  const norm = Math.hypot(...vector)
  if (norm === 0) vector[0] = 1
  // Unnormalised vectors are scaled by word count, as some compatible servers
  // (TEI with normalize=false, raw Ollama models) return arbitrary lengths.
  const scale = unitLength ? 1 / (norm || 1) : 1
  return vector.map((x) => x * scale)
}

/** Little-endian float32 bytes, base64: the API's `encoding_format: 'base64'`. */
export function toBase64Floats(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64')
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}
