import { expect, test } from 'bun:test'
import { escapeHtml, HIGHLIGHT_START as S, HIGHLIGHT_STOP as E, highlightHtml, snippetWindow } from './highlight.ts'

test('escaping leaves no character that HTML would read as markup', () => {
  expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
})

test('markers become <mark> tags only after the text is escaped', () => {
  expect(highlightHtml('a \u0001<cache>\u0002 b')).toBe('a <mark>&lt;cache&gt;</mark> b')
})

test('unpaired markers are dropped rather than leaving a tag open', () => {
  expect(highlightHtml('\u0001x \u0001y\u0002 z\u0002')).toBe('x <mark>y</mark> z')
})

const words = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `w${from + i}`)

test('a short passage is its own snippet', () => {
  expect(snippetWindow(`one ${S}two${E} three`, 5)).toBe(`one ${S}two${E} three`)
})

test('the snippet of a long passage is centred on its match, with ellipses where the passage goes on', () => {
  const text = [...words(50), `${S}needle${E}`, ...words(49, 51)].join(' ')
  const snippet = snippetWindow(text, 11)
  expect(snippet).toBe(`… w45 w46 w47 w48 w49 ${S}needle${E} w51 w52 w53 w54 w55 …`)
  expect(highlightHtml(snippet)).toContain('<mark>needle</mark>')
})

test('the snippet holds the densest run of matches, not merely the first', () => {
  const text = [`${S}a${E}`, ...words(30), `${S}b${E}`, 'x', `${S}c${E}`, ...words(30, 40)].join(' ')
  const snippet = snippetWindow(text, 8)
  expect(snippet.startsWith('… ')).toBe(true)
  expect(highlightHtml(snippet).match(/<mark>/g)).toHaveLength(2)
})

test('without a match the snippet is the passage start', () => {
  expect(snippetWindow(words(10).join(' '), 3)).toBe('w0 w1 w2 …')
  expect(snippetWindow(`${words(3).join(' ')} ${S}end${E}`, 2)).toBe(`… w2 ${S}end${E}`)
})
