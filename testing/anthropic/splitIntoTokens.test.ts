import { describe, expect, test } from 'bun:test'
import { splitIntoTokens } from './splitIntoTokens'

describe('splitIntoTokens', () => {
  test('splits into words that carry their leading whitespace', () => {
    expect(splitIntoTokens('Hello big world')).toEqual(['Hello', ' big', ' world'])
  })

  test('keeps citation markers whole and on their own', () => {
    expect(splitIntoTokens('Cells divide [1][12].')).toEqual(['Cells', ' divide', ' ', '[1]', '[12]', '.'])
  })

  test('leaves brackets that are not citation markers inside words', () => {
    expect(splitIntoTokens('see [note] here')).toEqual(['see', ' [note]', ' here'])
  })

  test('loses no characters, whitespace and newlines included', () => {
    const text = '  Lead\n\nPara [3] two\tcols  [4]\n'
    expect(splitIntoTokens(text).join('')).toBe(text)
  })

  test('gives no tokens for an empty answer', () => {
    expect(splitIntoTokens('')).toEqual([])
  })
})
