// The one same-site rule behind sign-in redirects and answer links.
import { describe, expect, test } from 'bun:test'
import { safeReturnTo, sameSitePath } from './sameSitePath.ts'

const ORIGIN = 'https://kt.example'

// Each of these reaches another host in a browser (or runs script) if passed through.
const LEAVING = [
  '/\t/evil.example/phish', // returnTo=%2F%09%2Fevil.example%2Fphish: browsers drop the tab
  '/\n/evil.example',
  '/\r/evil.example',
  '/\r\n/evil.example',
  '/\t\\evil.example', // /%09%5Cevil.example
  '/\\evil.example',
  '\\\\evil.example',
  '//evil.example',
  '//evil.example/collections',
  ' //evil.example',
  '/.//evil.example', // resolves to the path //evil.example
  '/..//evil.example',
  '/x/../..//evil.example',
  'https://evil.example/',
  'http://kt.example/', // another scheme is another origin
  'https://kt.example.evil.example/',
  'https://kt.example@evil.example/',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '/\u0000/evil.example',
  '/\u007f/evil.example',
  '',
]

describe('sameSitePath', () => {
  for (const value of LEAVING) {
    test(`refuses ${JSON.stringify(value)}`, () => {
      expect(sameSitePath(value, ORIGIN)).toBeNull()
      expect(sameSitePath(value)).toBeNull()
      expect(safeReturnTo(value, { origin: ORIGIN })).toBe('/collections')
    })
  }

  test('keeps path, search and hash of a same-site destination', () => {
    expect(sameSitePath('/collections/abc?q=a%20b#t=5', ORIGIN)).toBe('/collections/abc?q=a%20b#t=5')
    expect(sameSitePath('/', ORIGIN)).toBe('/')
    expect(sameSitePath('https://kt.example/videos/1?t=3', ORIGIN)).toBe('/videos/1?t=3')
    // Encoded characters stay encoded: the browser never turns %09 back into a tab.
    expect(sameSitePath('/%09/evil.example', ORIGIN)).toBe('/%09/evil.example')
    expect(new URL(sameSitePath('/%09/evil.example', ORIGIN)!, ORIGIN).origin).toBe(ORIGIN)
  })

  test('non-strings and absurd lengths are refused', () => {
    expect(sameSitePath(undefined)).toBeNull()
    expect(sameSitePath(null)).toBeNull()
    expect(sameSitePath(['/x'])).toBeNull()
    expect(sameSitePath(`/${'a'.repeat(3000)}`)).toBeNull()
  })

  test('the fallback is configurable', () => {
    expect(safeReturnTo('//evil.example', { fallback: '/' })).toBe('/')
    expect(safeReturnTo(undefined)).toBe('/collections')
  })
})
