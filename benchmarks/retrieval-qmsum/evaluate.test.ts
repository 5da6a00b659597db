import { describe, expect, test } from 'bun:test'
import { chanceMetrics, evaluateRuns, isRelevant, OTHER_MEETING, type ChunkRange } from './evaluate'

const range = (segmentStart: number, segmentEnd: number): ChunkRange => ({ segmentStart, segmentEnd })
// Four chunks over turns 0-39, gold is turns 22-24 (inside the third chunk only).
const chunks = [range(0, 9), range(10, 19), range(20, 29), range(30, 39)]

describe('evaluate', () => {
  test('counts a chunk as relevant when its cue range touches a gold span', () => {
    expect(isRelevant(range(20, 29), [[29, 35]])).toBe(true)
    expect(isRelevant(range(20, 29), [[30, 35]])).toBe(false)
    expect(
      isRelevant(range(20, 29), [
        [0, 3],
        [15, 20],
      ]),
    ).toBe(true)
  })

  test('never counts a chunk of another meeting, whatever the gold turns', () => {
    expect(
      isRelevant(OTHER_MEETING, [
        [0, 0],
        [0, 1000],
      ]),
    ).toBe(false)
    // Across meetings: two other-meeting chunks ahead of the relevant one, and they dilute chance.
    const corpus = [...chunks, OTHER_MEETING, OTHER_MEETING, OTHER_MEETING, OTHER_MEETING]
    const m = evaluateRuns([{ spans: [[22, 24]], ranked: [OTHER_MEETING, OTHER_MEETING, chunks[2]!], candidates: corpus }])
    expect(m.mrrAt10).toBeCloseTo(1 / 3, 10)
    expect(chanceMetrics([{ spans: [[22, 24]], ranked: [], candidates: corpus }]).mrrAt10).toBeLessThan(
      chanceMetrics([{ spans: [[22, 24]], ranked: [], candidates: chunks }]).mrrAt10,
    )
  })

  test('scores the rank of the first relevant chunk', () => {
    const m = evaluateRuns([
      { spans: [[22, 24]], ranked: [chunks[0]!, chunks[2]!], candidates: chunks },
      { spans: [[22, 24]], ranked: [chunks[0]!], candidates: chunks },
    ])
    expect(m.queries).toBe(2)
    expect(m.recallAt5).toBe(0.5)
    expect(m.mrrAt10).toBe(0.25)
    expect(m.coverageAt10).toBe(0.5)
  })

  test('computes the random-order expectation exactly', () => {
    const m = chanceMetrics([{ spans: [[22, 24]], ranked: [], candidates: chunks }])
    // One relevant chunk out of four: always within the top 5, first at ranks 1-4 equally often.
    expect(m.recallAt5).toBeCloseTo(1, 10)
    expect(m.mrrAt10).toBeCloseTo((1 + 1 / 2 + 1 / 3 + 1 / 4) / 4, 10)
  })
})
