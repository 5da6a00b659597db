import { describe, expect, test } from 'bun:test'
import { planAnswer } from './planAnswer'

describe('planAnswer', () => {
  test('ends with the script stop reason when nothing cuts the answer short', () => {
    expect(planAnswer({ text: 'a b', stopReason: 'max_tokens' }, { max_tokens: 10 })).toEqual({
      tokens: ['a', ' b'],
      stopReason: 'max_tokens',
      stopSequence: null,
    })
    expect(planAnswer({ text: 'a b' }, { max_tokens: 10 }).stopReason).toBe('end_turn')
  })

  test('truncates to max_tokens and reports max_tokens', () => {
    expect(planAnswer({ text: 'a b c d' }, { max_tokens: 2 })).toEqual({
      tokens: ['a', ' b'],
      stopReason: 'max_tokens',
      stopSequence: null,
    })
  })

  test('stops before the earliest stop sequence, even inside a token', () => {
    const plan = planAnswer({ text: 'one two three' }, { max_tokens: 10, stop_sequences: ['three', 'wo'] })
    expect(plan).toEqual({ tokens: ['one', ' t'], stopReason: 'stop_sequence', stopSequence: 'wo' })
  })

  test('ignores a stop sequence that would only appear after max_tokens', () => {
    const plan = planAnswer({ text: 'one two three' }, { max_tokens: 2, stop_sequences: ['three'] })
    expect(plan.stopReason).toBe('max_tokens')
  })

  test('uses an explicit token array as is', () => {
    expect(planAnswer({ text: ['x [', '1', ']'] }, { max_tokens: 10 }).tokens).toEqual(['x [', '1', ']'])
  })
})
