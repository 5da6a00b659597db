// One normalisation for everything that compares words (embedding, tests,
// benchmarks): NFKC folds full-width and compatibility forms, lowercasing
// folds case, and accents are dropped from Latin letters only, so "café"
// meets "cafe" while Japanese voicing marks (が vs か) keep their meaning.

const LATIN_MARKS = /(?<=\p{Script=Latin})\p{M}+/gu

export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().normalize('NFD').replace(LATIN_MARKS, '').normalize('NFC')
}
