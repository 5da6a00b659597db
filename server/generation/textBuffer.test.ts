import { expect, test } from 'bun:test'
import { createTextBuffer } from './textBuffer.ts'

test('a text buffer reads as every piece appended, in order, at any point', () => {
  const buffer = createTextBuffer()
  let expected = ''
  expect(buffer.toString()).toBe('')
  for (let i = 0; i < 300; i++) {
    const piece = ['', ' the', ' naïve', ' 東京', ' 👍🏽', '\n', ` ${i}`][i % 7]!
    buffer.append(piece)
    expected += piece
    if (i % 23 === 0 || i === 63 || i === 64 || i === 128) expect(buffer.toString()).toBe(expected)
  }
  expect(buffer.toString()).toBe(expected)
})
