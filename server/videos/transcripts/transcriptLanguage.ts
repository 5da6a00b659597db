// The language of an uploaded transcript, so full text search can stem it
// (Postgres's `english`, `danish`, … configurations; `simple` when unknown
// matches only exact word forms and ran ~1.5× slower on our benchmark).
// What the file says about itself wins: a WebVTT `Language:` header; then the
// words themselves (tinyld, a small n-gram detector); then a language code in
// the file name (`talk.en.vtt`), which alone is too weak to beat the text.
import { detectAll } from 'tinyld'

// Below this much text the detector guesses; the file name is then the better hint.
const MIN_DETECT_CHARS = 200
const MIN_ACCURACY = 0.5
// Enough text for a stable answer; detection time grows with it.
const SAMPLE_CHARS = 20_000

const LANGUAGE_HEADER = /^Language:[ \t]*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)[ \t]*$/im
// A language code just before the extension: `captions.ja.vtt`, `sintel_en.srt`, `talk.pt-BR.srt`.
const FILENAME_CODE = /[._-]([a-z]{2})(?:[-_]([A-Z]{2}))?\.[A-Za-z0-9]{2,5}$/

/** BCP 47 form: lower-case language, the rest as given (`pt_br` -> `pt-br`). */
function normalise(tag: string): string {
  const [base, ...rest] = tag.replace(/_/g, '-').split('-')
  return [base!.toLowerCase(), ...rest].join('-')
}

/** The `Language:` metadata line of a WebVTT header (before the first blank line), if any. */
export function webVttHeaderLanguage(text: string): string | null {
  if (!/^\uFEFF?WEBVTT/.test(text)) return null
  const header = text.split(/\r?\n[ \t]*\r?\n/, 1)[0]!
  const m = LANGUAGE_HEADER.exec(header)
  return m ? normalise(m[1]!) : null
}

export function filenameLanguage(filename: string): string | null {
  const m = FILENAME_CODE.exec(filename)
  if (!m) return null
  const code = m[1]!
  // Two letters before an extension are often not a language (`hd`, `v2`): only
  // accept codes the detector knows.
  if (!KNOWN_CODES.has(code)) return null
  return m[2] ? `${code}-${m[2]}` : code
}

/** The language the text is written in, or null when it is too short or too mixed to say. */
export function detectTextLanguage(text: string): string | null {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text
  if (sample.replace(/\s+/g, '').length < MIN_DETECT_CHARS / (hasCjk(sample) ? 4 : 1)) return null
  const [best] = detectAll(sample)
  return best && best.accuracy >= MIN_ACCURACY ? best.lang : null
}

/** The transcript's language from its metadata, its text, then its name; null when none says. */
export function transcriptLanguage(p: { filename: string; raw: string; texts: readonly string[] }): string | null {
  return webVttHeaderLanguage(p.raw) ?? detectTextLanguage(p.texts.join(' ')) ?? filenameLanguage(p.filename)
}

// CJK scripts carry several times more meaning per character.
function hasCjk(text: string): boolean {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(text)
}

// ISO 639-1 codes of languages people caption in; enough to tell `en` from `hd`.
const KNOWN_CODES = new Set(
  (
    'af am ar as az be bg bn bo br bs ca cs cy da de el en eo es et eu fa fi fo fr fy ga gd gl gu ha he hi hr ht hu hy id ' +
    'is it ja jv ka kk km kn ko ku ky la lb lo lt lv mg mi mk ml mn mr ms mt my nb ne nl nn no oc or pa pl ps pt ro ru sa ' +
    'sd si sk sl sn so sq sr su sv sw ta te tg th tk tl tr tt ug uk ur uz vi yi yo zh zu'
  ).split(' '),
)
