import { describe, expect, test } from 'bun:test'
import { LOCAL_EMBEDDING_DIMENSIONS, embedLocal, localEmbedder } from './localEmbedder'

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0))
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0)

describe('embedLocal', () => {
  test('returns unit-length vectors of the configured size', () => {
    const v = embedLocal('The remote control needs fewer buttons and a menu display.')
    expect(v).toHaveLength(LOCAL_EMBEDDING_DIMENSIONS)
    expect(norm(v)).toBeCloseTo(1, 5)
    expect(embedLocal('short', 64)).toHaveLength(64)
  })

  test('gives the same vector for the same text, bit for bit', () => {
    const text = 'Karina explains how to choose an open source licence.'
    expect(Array.from(embedLocal(text))).toEqual(Array.from(embedLocal(text)))
  })

  test('places a paraphrase closer than an unrelated text', () => {
    const query = embedLocal('Which licence should I pick to open source my code?')
    const related = embedLocal('Choosing a licence is the first step when you open source code: MIT, GPL or Apache.')
    const unrelated = embedLocal('The group decided the remote control should be yellow and shaped like a banana.')
    expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated) + 0.1)
  })

  test('matches inflected forms and accents', () => {
    const a = embedLocal('designing remote controls')
    const b = embedLocal('the remote control design')
    const c = embedLocal('budget spreadsheet figures')
    expect(cosine(a, b)).toBeGreaterThan(0.5)
    expect(cosine(a, c)).toBeLessThan(0.2)
    expect(cosine(embedLocal('café résumé'), embedLocal('cafe resume'))).toBeCloseTo(1, 5)
  })

  test('embeds Danish and Japanese text as non-zero vectors that find their own topic', () => {
    const danish = embedLocal('Brug GDPR til at tvinge firmaer til at respektere dit privatliv.')
    const japanese = embedLocal('今日は東京で新しい製品の設計について話し合いました。')
    expect(norm(danish)).toBeCloseTo(1, 5)
    expect(norm(japanese)).toBeCloseTo(1, 5)
    const jaQuery = embedLocal('製品の設計')
    expect(cosine(jaQuery, japanese)).toBeGreaterThan(cosine(jaQuery, danish) + 0.2)
    const daQuery = embedLocal('firmaer og privatlivet')
    expect(cosine(daQuery, danish)).toBeGreaterThan(cosine(daQuery, japanese) + 0.2)
  })

  test('ignores stopwords, so function words alone do not make texts similar', () => {
    expect(cosine(embedLocal('it is what it is and so on'), embedLocal('what is it and is it so'))).toBe(0)
  })

  test('returns the zero vector for text without content words', () => {
    for (const empty of ['', '   ', '?!…', 'the and of']) {
      const v = embedLocal(empty)
      expect(v).toHaveLength(LOCAL_EMBEDDING_DIMENSIONS)
      expect(norm(v)).toBe(0)
    }
  })
})

describe('localEmbedder', () => {
  test('embeds a batch in order, as plain number arrays', async () => {
    const [a, b] = await localEmbedder.embed(['open source licence', 'remote control'])
    expect(localEmbedder.name).toBe('local-hash-v1')
    expect(a).toHaveLength(localEmbedder.dimensions)
    expect(a).toEqual(Array.from(embedLocal('open source licence')))
    expect(b).toEqual(Array.from(embedLocal('remote control')))
  })
})
