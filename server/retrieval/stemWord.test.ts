import { expect, test } from 'bun:test'
import { stemmer } from 'stemmer'
import { stemWord } from './stemWord.ts'

test('a remembered stem is the Porter stem, the first time and every time after', () => {
  const words = ['designs', 'feeding', 'caches', 'sharded', 'evicted', 'relational', 'feeding', 'designs']
  for (const round of [1, 2]) expect(words.map(stemWord), `round ${round}`).toEqual(words.map((w) => stemmer(w)))
})
