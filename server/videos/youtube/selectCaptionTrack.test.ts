import { describe, expect, test } from 'bun:test'
import { type CaptionTrack, selectCaptionTrack } from './selectCaptionTrack.ts'

function manual(languageCode: string): CaptionTrack {
  return { url: `https://www.youtube.com/api/timedtext?lang=${languageCode}`, languageCode, kind: 'manual', name: languageCode }
}
function auto(languageCode: string): CaptionTrack {
  return {
    url: `https://www.youtube.com/api/timedtext?kind=asr&lang=${languageCode}`,
    languageCode,
    kind: 'auto',
    name: `${languageCode} (auto)`,
  }
}
function pick(tracks: CaptionTrack[], language: string | null): string | null {
  const t = selectCaptionTrack(tracks, language)
  return t && `${t.kind}:${t.languageCode}`
}

// As YouTube lists them: by display name.
const DA_EN_AUTO_EN = [manual('da'), manual('en'), auto('en')]

describe('selectCaptionTrack', () => {
  test('prefers the manual track over the auto-generated one in the same language', () => {
    expect(pick(DA_EN_AUTO_EN, 'en')).toBe('manual:en')
  })

  test('prefers manual over auto-generated whatever order YouTube lists them in', () => {
    expect(pick([auto('en'), manual('en')], 'en')).toBe('manual:en')
    expect(pick([auto('en'), manual('en')], null)).toBe('manual:en')
  })

  test('takes the asked-for language when a manual track has it', () => {
    expect(pick(DA_EN_AUTO_EN, 'da')).toBe('manual:da')
  })

  test('matches languages case-insensitively and with _ for -', () => {
    expect(pick([manual('en'), manual('pt-BR')], 'PT_br')).toBe('manual:pt-BR')
  })

  test('falls back to the base language both ways (en-GB asked, en present; en asked, en-GB present)', () => {
    expect(pick(DA_EN_AUTO_EN, 'en-GB')).toBe('manual:en')
    expect(pick([manual('da'), manual('en-GB'), auto('en')], 'en')).toBe('manual:en-GB')
  })

  test('an exact manual match beats a base-language one', () => {
    expect(pick([manual('en-GB'), manual('en-US')], 'en-US')).toBe('manual:en-US')
  })

  test('an auto-generated track in the asked-for language beats a manual track in another', () => {
    expect(pick([manual('en'), auto('da')], 'da')).toBe('auto:da')
  })

  test('without a preference, takes the manual track in the spoken language rather than the first listed', () => {
    expect(pick(DA_EN_AUTO_EN, null)).toBe('manual:en')
  })

  test('an unavailable language falls back like no preference', () => {
    expect(pick(DA_EN_AUTO_EN, 'fr')).toBe('manual:en')
    expect(pick(DA_EN_AUTO_EN, '  ')).toBe('manual:en')
  })

  test('without an auto-generated track, takes the first manual track', () => {
    expect(pick([manual('da'), manual('en')], null)).toBe('manual:da')
  })

  test('with only auto-generated tracks, takes the first', () => {
    expect(pick([auto('en')], 'da')).toBe('auto:en')
  })

  test('with no tracks, there is nothing to select', () => {
    expect(selectCaptionTrack([], 'en')).toBeNull()
  })
})
