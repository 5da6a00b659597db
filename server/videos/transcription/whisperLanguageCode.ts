// Whisper's verbose_json names the language in English ("english"); some servers
// send a code ("en"). videos.language holds a BCP 47 code, so map names to codes
// with Whisper's own table (openai/whisper tokenizer.py, plus its aliases).

const CODES_BY_NAME: Record<string, string> = Object.fromEntries(
  (
    'en english|zh chinese|de german|es spanish|ru russian|ko korean|fr french|ja japanese|pt portuguese|' +
    'tr turkish|pl polish|ca catalan|nl dutch|ar arabic|sv swedish|it italian|id indonesian|hi hindi|' +
    'fi finnish|vi vietnamese|he hebrew|uk ukrainian|el greek|ms malay|cs czech|ro romanian|da danish|' +
    'hu hungarian|ta tamil|no norwegian|th thai|ur urdu|hr croatian|bg bulgarian|lt lithuanian|la latin|' +
    'mi maori|ml malayalam|cy welsh|sk slovak|te telugu|fa persian|lv latvian|bn bengali|sr serbian|' +
    'az azerbaijani|sl slovenian|kn kannada|et estonian|mk macedonian|br breton|eu basque|is icelandic|' +
    'hy armenian|ne nepali|mn mongolian|bs bosnian|kk kazakh|sq albanian|sw swahili|gl galician|' +
    'mr marathi|pa punjabi|si sinhala|km khmer|sn shona|yo yoruba|so somali|af afrikaans|oc occitan|' +
    'ka georgian|be belarusian|tg tajik|sd sindhi|gu gujarati|am amharic|yi yiddish|lo lao|uz uzbek|' +
    'fo faroese|ht haitian creole|ps pashto|tk turkmen|nn nynorsk|mt maltese|sa sanskrit|' +
    'lb luxembourgish|my myanmar|bo tibetan|tl tagalog|mg malagasy|as assamese|tt tatar|haw hawaiian|' +
    'ln lingala|ha hausa|ba bashkir|jv javanese|su sundanese|yue cantonese|' +
    // Whisper's aliases.
    'my burmese|ca valencian|nl flemish|ht haitian|lb letzeburgesch|ps pushto|pa panjabi|ro moldavian|' +
    'ro moldovan|si sinhalese|es castilian|zh mandarin'
  )
    .split('|')
    .map((pair) => {
      const space = pair.indexOf(' ')
      return [pair.slice(space + 1), pair.slice(0, space)]
    }),
)

const CODE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i

/** A BCP 47 code for what a transcription server reported, or null when it is not recognisable. */
export function whisperLanguageCode(reported: string | null | undefined): string | null {
  if (!reported) return null
  const value = reported.trim()
  const byName = CODES_BY_NAME[value.toLowerCase()]
  if (byName) return byName
  // Whisper's own code for Javanese is not the ISO one.
  if (value.toLowerCase() === 'jw') return 'jv'
  if (!CODE.test(value)) return null
  const [primary, ...rest] = value.split('-')
  return [primary!.toLowerCase(), ...rest].join('-')
}
