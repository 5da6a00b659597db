// Browser errors reach a Sentry-compatible receiver through the real
// @sentry/browser SDK, when SENTRY_BROWSER_DSN is set: once, scrubbed, with
// release and environment. Without it the page carries no DSN and loads no SDK.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser } from 'playwright-core'
import { startSentryReceiver, type SentryReceiver } from '../testing/sentry/receiver.ts'
import { launchBrowser, newContext, open } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'

let sentry: SentryReceiver
let stack: Stack
let quiet: Stack
let browser: Browser

beforeAll(async () => {
  sentry = startSentryReceiver()
  ;[stack, quiet, browser] = await Promise.all([
    startStack({ SENTRY_BROWSER_DSN: sentry.dsn, SENTRY_ENVIRONMENT: 'e2e', SENTRY_RELEASE: 'kt-e2e-release' }),
    startStack(),
    launchBrowser(),
  ])
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
  await quiet?.stop()
  await sentry?.stop()
})

test('an error thrown in the page arrives once, scrubbed, with release and environment', async () => {
  const context = await newContext(browser, stack.url)
  try {
    const page = await context.newPage()
    await open(page, '/login?token=secret-query-token-0123456789abcdef')
    // The SDK is loaded after hydration; wait until it has hooked the page's error handler.
    await page.waitForFunction(() => (window.onerror as { __SENTRY_INSTRUMENTED__?: boolean } | null)?.__SENTRY_INSTRUMENTED__ === true)
    await page.evaluate(() => {
      setTimeout(() => {
        throw new Error('checkout broke for grace@example.com with token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJnIn0.c2ln')
      })
    })
    await sentry.waitFor(() => sentry.events().some((e) => JSON.stringify(e).includes('checkout broke')))
    await page.waitForTimeout(500)
    const events = sentry.events().filter((e) => JSON.stringify(e).includes('checkout broke'))
    expect(events).toHaveLength(1)
    const event = events[0] as {
      release: string
      environment: string
      tags: Record<string, string>
      request?: { url?: string }
      exception: { values: { value: string }[] }
    }
    expect(event.release).toBe('kt-e2e-release')
    expect(event.environment).toBe('e2e')
    expect(event.tags.service).toBe('web')
    expect(event.exception.values.at(-1)!.value).toBe('checkout broke for [email] with token [jwt]')
    if (event.request?.url) expect(event.request.url).toEndWith('/login')
    const raw = sentry.envelopes.map((e) => e.raw).join('\n')
    for (const secret of ['grace@example.com', 'eyJhbGciOiJIUzI1NiJ9', 'secret-query-token']) expect(raw).not.toContain(secret)
  } finally {
    await context.close()
  }
}, 60_000)

test('without SENTRY_BROWSER_DSN the page names no DSN and loads no Sentry code', async () => {
  const context = await newContext(browser, quiet.url)
  try {
    const page = await context.newPage()
    const scripts: string[] = []
    page.on('request', (r) => scripts.push(r.url()))
    await open(page, '/login')
    expect(await page.locator('meta[name="kt-error-reporting"]').count()).toBe(0)
    const html = await page.content()
    expect(html).not.toContain(sentry.dsn)
    // Whatever the page loaded, none of it was the SDK (its chunk would carry a Sentry name).
    expect(scripts.filter((u) => /sentry/i.test(u))).toEqual([])
  } finally {
    await context.close()
  }
}, 60_000)
