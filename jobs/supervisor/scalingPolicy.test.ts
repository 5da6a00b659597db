import { describe, expect, test } from 'bun:test'
import { decideWorkers, initialMemory, type ScalingMemory, type ScalingSettings } from './scalingPolicy.ts'

const settings: ScalingSettings = { min: 2, max: 20, scaleUpAt: 10, cooldownMs: 300_000 }
const MIN = 60_000

/** Runs the policy over a series of (minute, ready jobs) checks; returns the worker count after each. */
function run(checks: [minute: number, ready: number][], start = 2): number[] {
  let current = start
  let memory: ScalingMemory = initialMemory()
  return checks.map(([minute, ready]) => {
    const d = decideWorkers(current, ready, minute * MIN, memory, settings)
    memory = d.memory
    current = d.desired
    return current
  })
}

describe('worker scaling policy', () => {
  test('a backlog above 10 ready jobs per worker scales straight to one worker per 10, capped at the maximum', () => {
    expect(run([[0, 20]])).toEqual([2])
    expect(run([[0, 21]])).toEqual([3])
    expect(run([[0, 95]])).toEqual([10])
    expect(run([[0, 500]])).toEqual([20])
  })

  test('at the maximum a growing backlog holds and says so', () => {
    const d = decideWorkers(20, 900, 0, initialMemory(), settings)
    expect(d).toMatchObject({ action: 'hold', desired: 20 })
    expect(d.reason).toContain('at the maximum of 20')
  })

  test('scales down only after the backlog stayed low for the whole cooldown, then to what keeps workers under half the threshold', () => {
    // 500 jobs at minute 0, drained by minute 2; quiet afterwards.
    const counts = run([
      [0, 500],
      [1, 200],
      [2, 0],
      [4, 0],
      [6.9, 0],
      [7, 0],
      [7.5, 0],
    ])
    expect(counts).toEqual([20, 20, 20, 20, 20, 2, 2])
  })

  test('hysteresis: a backlog between half the threshold and the threshold neither adds nor removes workers', () => {
    // 4 workers with 24 ready (6 per worker): not above 10, and 4 workers are needed to stay under 5 each.
    expect(
      run(
        [
          [0, 24],
          [10, 24],
          [20, 24],
        ],
        4,
      ),
    ).toEqual([4, 4, 4])
    // The same backlog with 6 workers: 5 would do (24/5 < 5): down after the cooldown, to 5.
    expect(
      run(
        [
          [0, 24],
          [5, 24],
        ],
        6,
      ),
    ).toEqual([6, 5])
  })

  test('a busy spell during the cooldown restarts it', () => {
    const counts = run([
      [0, 300],
      [1, 0],
      [4, 0],
      [5, 300],
      [6, 0],
      [10, 0],
      [11, 0],
    ])
    expect(counts).toEqual([20, 20, 20, 20, 20, 20, 2])
  })

  test('the cooldown also runs from the last scale-up, and the minimum and maximum always hold', () => {
    expect(run([[0, 0]], 1)).toEqual([2])
    expect(run([[0, 0]], 25)).toEqual([20])
    const zeroCooldown = { ...settings, cooldownMs: 0 }
    expect(decideWorkers(20, 0, 0, initialMemory(), zeroCooldown)).toMatchObject({ action: 'down', desired: 2 })
  })
})
