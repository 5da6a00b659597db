// Languages a person can pick for a transcript: those Postgres stems for full
// text search, plus the CJK languages (searched word by word). Names come from
// the browser's own Intl.DisplayNames, so nothing here needs translating.
const CODES = [
  "ar",
  "ca",
  "da",
  "de",
  "el",
  "en",
  "es",
  "eu",
  "fi",
  "fr",
  "ga",
  "hi",
  "hu",
  "hy",
  "id",
  "it",
  "ja",
  "ko",
  "lt",
  "nl",
  "no",
  "pt",
  "ro",
  "ru",
  "sr",
  "sv",
  "ta",
  "tr",
  "yi",
  "zh",
];

export function languageName(code: string, locale = "en"): string {
  try {
    return new Intl.DisplayNames([locale], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** [code, name] pairs sorted by name; `extra` (e.g. a video's current code) is kept if not listed. */
export function languageOptions(extra?: string | null): [string, string][] {
  const codes = extra && !CODES.includes(extra) ? [...CODES, extra] : CODES;
  return codes.map((c): [string, string] => [c, languageName(c)]).sort((a, b) => a[1].localeCompare(b[1]));
}
