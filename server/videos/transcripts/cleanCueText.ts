// Turns the raw text of a cue into the plain text we store and search: markup gone,
// entities decoded, whitespace collapsed. Tags are stripped before entities are
// decoded so an escaped "&lt;b&gt;" survives as the literal text "<b>". Entities need
// their ";" (strict mode): SRT prose like "R&D" or "&copy" is not HTML.
import { decodeHTMLStrict } from 'entities'

// Only things shaped like tags: "<" then a letter, "/" or digit (VTT timestamp tags
// such as <00:00:01.000>), so prose like "a < b > c" is left alone.
const TAG = /<\/?[A-Za-z0-9][^<>]*>/g
// Ruby annotations (<rt>) are pronunciation guides printed above the base text;
// keeping them would splice readings into the words ("漢kan"). </rt> may be omitted.
const RUBY_TEXT = /<rt(?:[.\s][^>]*)?>[^<]*(?:<\/rt>)?/g
// ASS/SSA override blocks that SRT writers leave in, e.g. {\an8} or {\i1}.
const ASS_OVERRIDE = /\{\\[^{}]*\}/g
// Directional marks (&lrm; &rlm; and friends) are invisible formatting; in stored
// text they only break search and equality.
const BIDI_MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

export function cleanCueText(raw: string, options: { markup: boolean } = { markup: true }): string {
  let text = raw
  if (options.markup) {
    text = text.replace(RUBY_TEXT, '').replace(ASS_OVERRIDE, '').replace(TAG, '')
    text = decodeHTMLStrict(text)
  }
  return collapseWhitespace(text.replace(BIDI_MARKS, ''))
}

export function collapseWhitespace(text: string): string {
  // \s covers NBSP and the other Unicode spaces, which should become plain spaces.
  return text.replace(/\s+/g, ' ').trim()
}
