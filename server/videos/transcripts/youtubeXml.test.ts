import { describe, expect, test } from 'bun:test'
import { parseTranscript } from './parseTranscript.ts'
import { parseErrorOf } from '../../../testing/parseErrorOf.ts'

const xml = (text: string) => parseTranscript('youtube_xml', text)

const parseError = parseErrorOf

// Shaped like https://www.youtube.com/api/timedtext?fmt=srv3 for an auto-generated track.
const FORMAT_3 = `<?xml version="1.0" encoding="utf-8" ?><timedtext format="3">
<head>
<ws id="0"/>
<wp id="0"/>
</head>
<body>
<w t="0" id="1" wp="0" ws="0"/>
<p t="160" d="4080" w="1"><s ac="0">so</s><s t="240" ac="0"> today</s><s t="720" ac="0"> we&#39;re</s><s t="1200" ac="0"> talking</s></p>
<p t="2150" w="1" a="1">
</p>
<p t="4240" d="3120" w="1">about R&amp;D &amp;amp; caches</p>
</body>
</timedtext>`

describe('YouTube timedtext XML', () => {
  test('format 1 <text start dur> in seconds, with double-escaped entities and tags', () => {
    expect(
      xml(
        '<?xml version="1.0" encoding="utf-8" ?><transcript><text start="0.5" dur="1.25">it&amp;#39;s &lt;i&gt;fine&lt;/i&gt;</text><text start="12" dur="3">&quot;ok&quot;\nthen</text></transcript>',
      ),
    ).toEqual([
      { startMs: 500, endMs: 1750, speaker: null, text: "it's fine" },
      { startMs: 12000, endMs: 15000, speaker: null, text: '"ok" then' },
    ])
  })

  test('format 3 <p t d> in milliseconds joins <s> word segments and skips empty append rows', () => {
    expect(xml(FORMAT_3)).toEqual([
      { startMs: 160, endMs: 4240, speaker: null, text: "so today we're talking" },
      { startMs: 4240, endMs: 7360, speaker: null, text: 'about R&D & caches' },
    ])
  })

  test('a missing dur leaves the end time unknown', () => {
    expect(xml('<transcript><text start="1">x</text></transcript>')[0]!.endMs).toBeNull()
  })

  test('malformed XML is reported on the line of the error', () => {
    const error = parseError(() => xml('<transcript>\n<text start="0" dur="1">a</text>\n<text start="1" dur="1">b</transcript>'))
    expect(error.line).toBe(3)
    expect(error.reason).toStartWith('invalid XML')
  })

  test('a bad start attribute is reported on the line of its element', () => {
    const error = parseError(() =>
      xml('<transcript>\n<text start="0" dur="1">a</text>\n<text start="soon" dur="1">b</text>\n</transcript>'),
    )
    expect(error.message).toBe('Line 3: invalid start="soon"')
  })

  test('a DOCTYPE is refused, which also rules out entity expansion', () => {
    const error = parseError(() =>
      xml('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<transcript><text start="0">&lol;</text></transcript>'),
    )
    expect(error.line).toBe(2)
  })

  test('an unknown root element is refused', () => {
    expect(parseError(() => xml('<?xml version="1.0"?>\n<tt><body/></tt>')).reason).toContain('<transcript> or <timedtext>')
  })

  test('a transcript whose cues are all empty is an empty transcript', () => {
    expect(parseError(() => xml('<transcript><text start="0" dur="1"></text></transcript>')).reason).toBe('empty transcript')
  })
})
