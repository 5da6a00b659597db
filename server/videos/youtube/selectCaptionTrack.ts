// Which caption track to download, given the tracks a video has and the
// language asked for (null: no preference). The rule, first hit wins:
//   1. a manual track in exactly that language (case-insensitive, en_GB = en-GB)
//   2. a manual track in the same base language (asked en-GB: en, en-US; asked en: en-GB)
//   3. an auto-generated track in exactly that language
//   4. an auto-generated track in the same base language
//   5. no match or no preference: the manual track in the spoken language (the
//      language of the auto-generated track, when there is one) — the others are
//      usually translations — else the first manual track, else the first auto one.
// Manual beats auto inside a language because people wrote it; the asked-for
// language beats manual-ness because an answer in the wrong language is worse.
// Translation (`&tlang=`) is deliberately not used: machine-translated captions
// would be cited as if someone had said those words.

export type CaptionKind = 'manual' | 'auto'

export type CaptionTrack = {
  url: string
  languageCode: string
  kind: CaptionKind
  name: string
}

export function selectCaptionTrack(tracks: readonly CaptionTrack[], language: string | null): CaptionTrack | null {
  const manual = tracks.filter((t) => t.kind === 'manual')
  const auto = tracks.filter((t) => t.kind === 'auto')
  const wanted = language === null ? '' : normalise(language)

  if (wanted !== '') {
    const hit =
      manual.find((t) => normalise(t.languageCode) === wanted) ??
      manual.find((t) => base(t.languageCode) === base(wanted)) ??
      auto.find((t) => normalise(t.languageCode) === wanted) ??
      auto.find((t) => base(t.languageCode) === base(wanted))
    if (hit) return hit
  }

  const spoken = auto[0]
  const original = spoken && manual.find((t) => base(t.languageCode) === base(spoken.languageCode))
  return original ?? manual[0] ?? auto[0] ?? null
}

function normalise(code: string): string {
  return code.trim().toLowerCase().replaceAll('_', '-')
}

function base(code: string): string {
  return normalise(code).split('-')[0] ?? ''
}
