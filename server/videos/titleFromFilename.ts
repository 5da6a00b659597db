// A readable default title from an uploaded file's name, for when the uploader
// gives none: "bornhacksubs__2021-440-eng-How_to_open_source_your_code_properly_hd.mp4.srt"
// becomes "How to open source your code properly".

// Extensions of subtitle and media files, stacked as exports make them (talk.mp4.srt).
const EXTENSIONS = /(\.(srt|vtt|sbv|xml|json3?|txt|ttml|dfxp|mp4|mkv|webm|mov|avi|m4v|mp3|m4a|wav|ogg|opus|flac|aac))+$/i
// Quality and encoding tags that say nothing about the content.
const NOISE = new Set(['hd', 'sd', 'uhd', '4k', '1080p', '720p', '480p', '360p', 'hq', 'x264', 'h264', 'x265', 'hevc'])
// Language tags subtitle files carry (talk.en.srt, 2021-440-eng-…). Words such as "it" or "no" are left alone.
const LANGUAGES = new Set([
  'en',
  'eng',
  'de',
  'deu',
  'ger',
  'fr',
  'fra',
  'fre',
  'es',
  'spa',
  'nl',
  'nld',
  'dan',
  'sv',
  'swe',
  'pt',
  'por',
  'ja',
  'jpn',
  'zh',
  'zho',
])

const isNumber = (w: string) => /^\d+$/.test(w)
// A YouTube id (11 characters with a digit and both cases) or a long hex id.
const isId = (w: string) =>
  /^[0-9a-f]{12,}$/i.test(w) || (/^[A-Za-z0-9-]{11}$/.test(w) && /\d/.test(w) && /[a-z]/.test(w) && /[A-Z]/.test(w))

export function titleFromFilename(filename: string): string {
  let name = filename.replace(/^.*[\\/]/, '').replace(EXTENSIONS, '')
  // "source__rest": a channel or archive prefix before a double underscore.
  const prefixed = name.includes('__')
  if (prefixed) name = name.slice(name.lastIndexOf('__') + 2)
  const words = name.split(/[\s_.-]+/).filter((w) => w !== '' && !isId(w))
  // Leading numbering ("2021 440 eng How…", "534 diskcache…" after an archive
  // prefix): numbers and the language or import tags among them. A lone year
  // or number in a plain name ("2024 roadmap") is kept.
  const tag = (w: string) => LANGUAGES.has(w) || w === 'import'
  let start = 0
  while (start < words.length - 1 && (isNumber(words[start]!) || tag(words[start]!))) start++
  const run = words.slice(0, start)
  if (!(prefixed || run.length >= 2 || run.some(tag)) || !run.some(isNumber)) start = 0
  let end = words.length
  while (end > start + 1 && (NOISE.has(words[end - 1]!.toLowerCase()) || LANGUAGES.has(words[end - 1]!))) end--
  const title = words.slice(start, end).join(' ').trim()
  return title ? title.charAt(0).toUpperCase() + title.slice(1) : filename.trim() || 'Untitled'
}
