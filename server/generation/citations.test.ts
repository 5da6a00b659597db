import { describe, expect, test } from 'bun:test'
import { createCitationFilter, resolveCitations } from './citations.ts'

const valid = new Set([1, 2, 3])

function streamed(pieces: string[]): string {
  const filter = createCitationFilter(valid)
  return pieces.map((p) => filter.push(p)).join('') + filter.end()
}

describe('citations', () => {
  test('keeps valid markers, drops invalid numbers, and touches nothing else', () => {
    expect(resolveCitations('Speed is 5 m/s [1]. Quoted: "the... ...the"  twice [9]. Both [2, 7][3].', valid)).toEqual({
      text: 'Speed is 5 m/s [1]. Quoted: "the... ...the"  twice. Both [2][3].',
      used: [1, 2, 3],
    })
  })

  test('a streamed answer gives the same text however it is cut into pieces', () => {
    const answer = 'It caches on disk [1][9]. Shards default to eight [2, 8] , said  twice... ...twice [12]\n\n- a list [3]'
    const whole = resolveCitations(answer, valid).text
    expect(streamed([answer])).toBe(whole)
    expect(streamed(answer.split(''))).toBe(whole)
    for (let cut = 1; cut < answer.length; cut += 3) expect(streamed([answer.slice(0, cut), answer.slice(cut)])).toBe(whole)
  })

  test('token-sized pieces, spaces and tabs before markers and between words, cut anywhere: the same text', () => {
    const answer = 'Spaces  then a marker \t [1]. A tab\tthen\t[9] one. Trailing   \n[2, 4]  end [3]   '
    const whole = resolveCitations(answer, valid).text
    expect(streamed(answer.split(/(?<= )/))).toBe(whole)
    // Deterministic pseudo-random cuts into pieces of 1-6 characters, as a model's tokens come.
    let seed = 7
    for (let run = 0; run < 200; run++) {
      const pieces: string[] = []
      for (let at = 0; at < answer.length; ) {
        seed = (seed * 1103515245 + 12345) % 2147483648
        const size = 1 + (seed % 6)
        pieces.push(answer.slice(at, at + size))
        at += size
      }
      expect(streamed(pieces)).toBe(whole)
    }
  })

  test('brackets that are not markers pass through untouched, even unclosed at the end', () => {
    expect(streamed(['an array [a, b] and [', '1 2', ' x'])).toBe('an array [a, b] and [1 2 x')
    expect(streamed(['ends with [2'])).toBe('ends with [2')
  })
})
