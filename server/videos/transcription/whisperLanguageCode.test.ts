import { expect, test } from 'bun:test'
import { whisperLanguageCode } from './whisperLanguageCode'

test("maps Whisper's English language names, and their aliases, to codes", () => {
  expect(whisperLanguageCode('english')).toBe('en')
  expect(whisperLanguageCode('Japanese')).toBe('ja')
  expect(whisperLanguageCode('haitian creole')).toBe('ht')
  expect(whisperLanguageCode('castilian')).toBe('es')
})

test('keeps codes that servers already send, lowercasing the language part', () => {
  expect(whisperLanguageCode('en')).toBe('en')
  expect(whisperLanguageCode('PT-BR')).toBe('pt-BR')
  expect(whisperLanguageCode('yue')).toBe('yue')
})

test("turns Whisper's own code for Javanese into the ISO one", () => {
  expect(whisperLanguageCode('jw')).toBe('jv')
})

test('gives null for nothing or something unrecognisable', () => {
  expect(whisperLanguageCode(null)).toBeNull()
  expect(whisperLanguageCode('')).toBeNull()
  expect(whisperLanguageCode('klingon language')).toBeNull()
})
