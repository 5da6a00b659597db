// Loaded before every test file (bunfig.toml). Tests run with quiet logs.
// (Hook timeouts come from `bun test --timeout` in the Makefile: Bun applies
// setDefaultTimeout from a preload to the first file only.)
import { afterEach } from 'bun:test'

process.env.NODE_ENV ??= 'test'
process.env.LOG_LEVEL ??= 'error'

// Browser tests: a page that broke its own Content-Security-Policy fails the
// test during which it happened (e2e/browser.ts collects the violations).
afterEach(() => {
  const seen = (globalThis as { __ktCspViolations?: string[] }).__ktCspViolations
  if (seen?.length) throw new Error(`Content-Security-Policy violations:\n${seen.splice(0).join('\n')}`)
})
