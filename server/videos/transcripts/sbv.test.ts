import { describe, expect, test } from 'bun:test'
import { parseTranscript } from './parseTranscript.ts'
import { parseErrorOf } from '../../../testing/parseErrorOf.ts'

const sbv = (text: string) => parseTranscript('sbv', text)

const parseError = parseErrorOf

describe('SBV', () => {
  test('timing lines with comma-separated times and multi-line text', () => {
    expect(sbv('0:00:00.599,0:00:04.160\n>> Hello,\neveryone\n\n1:02:03.004,1:02:05.000\nBye')).toEqual([
      { startMs: 599, endMs: 4160, speaker: null, text: '>> Hello, everyone' },
      { startMs: 3_723_004, endMs: 3_725_000, speaker: null, text: 'Bye' },
    ])
  })

  test('a missing blank line before the next timing line starts a new cue', () => {
    expect(sbv('0:00:01.000,0:00:02.000\nOne\n0:00:03.000,0:00:04.000\nTwo').map((s) => s.text)).toEqual(['One', 'Two'])
  })

  test('a truncated timestamp is reported on its line', () => {
    expect(parseError(() => sbv('0:00:01.000,0:00:02.000\nOk\n\n0:00:03.000,0:00:0\nBroken')).message).toBe(
      'Line 4: invalid timestamp "0:00:0"',
    )
  })

  test('garbage where a timing line belongs is reported on its line', () => {
    const error = parseError(() => sbv('0:00:01.000,0:00:02.000\nOk\n\nnot timing'))
    expect(error.line).toBe(4)
    expect(error.reason).toContain('expected a timing line')
  })

  test('an end before the start is reported with both times', () => {
    expect(parseError(() => sbv('0:00:05.000,0:00:04.000\nx')).message).toBe(
      'Line 1: end time 0:00:04.000 is before start time 0:00:05.000',
    )
  })
})
