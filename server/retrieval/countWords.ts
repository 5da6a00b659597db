// Word counting that works for languages written without spaces.
// Splitting on whitespace would count a Japanese paragraph as one word and
// turn a whole transcript into one chunk; ICU's word segmenter (dictionary
// based for CJK) gives a count comparable across languages.

// Building a segmenter is costly; one locale-neutral instance serves every call.
const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' })

export function countWords(text: string): number {
  let count = 0
  for (const part of segmenter.segment(text)) if (part.isWordLike) count++
  return count
}
