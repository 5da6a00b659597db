import { expect, test } from 'bun:test'
import { titleFromFilename } from './titleFromFilename.ts'

test('archive prefixes, numbering, language and quality tags and stacked extensions are dropped', () => {
  expect(titleFromFilename('bornhacksubs__2021-440-eng-How_to_open_source_your_code_properly_hd.mp4.srt')).toBe(
    'How to open source your code properly',
  )
  expect(
    titleFromFilename('bornhacksubs__import-4193-eng-Brug_GDPR_til_at_tvinge_firmaer_til_at_respektere_dit_privatliv_hd.mp4.srt'),
  ).toBe('Brug GDPR til at tvinge firmaer til at respektere dit privatliv')
  expect(titleFromFilename('talkpython__534-diskcache-your-secret-python-perf-weapon.vtt')).toBe('Diskcache your secret python perf weapon')
  expect(titleFromFilename('meyer1994-srt__sintel_en.srt')).toBe('Sintel')
  expect(titleFromFilename('videojs__captions.en.vtt')).toBe('Captions')
  expect(titleFromFilename('Keynote dQw4w9WgXcQ.en.vtt')).toBe('Keynote')
})

test('ordinary names keep their words, including short ones', () => {
  expect(titleFromFilename('Team meeting notes.txt')).toBe('Team meeting notes')
  expect(titleFromFilename('what_is_it.srt')).toBe('What is it')
  expect(titleFromFilename('2024 roadmap.vtt')).toBe('2024 roadmap')
  expect(titleFromFilename('1984.srt')).toBe('1984')
})

test('a name of nothing but tags falls back to the file name', () => {
  expect(titleFromFilename('hd.srt')).toBe('Hd')
  expect(titleFromFilename('.srt')).toBe('.srt')
})
