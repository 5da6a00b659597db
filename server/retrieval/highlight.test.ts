import { expect, test } from 'bun:test'
import { escapeHtml, highlightHtml } from './highlight.ts'

test('escaping leaves no character that HTML would read as markup', () => {
  expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
})

test('markers become <mark> tags only after the text is escaped', () => {
  expect(highlightHtml('a \u0001<cache>\u0002 b')).toBe('a <mark>&lt;cache&gt;</mark> b')
})

test('unpaired markers are dropped rather than leaving a tag open', () => {
  expect(highlightHtml('\u0001x \u0001y\u0002 z\u0002')).toBe('x <mark>y</mark> z')
})
