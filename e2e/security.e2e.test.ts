// Transcript text never becomes markup (WebVTT entities decode to a literal
// `<img …>` / `<script>` in the text, which is what an attacker would upload), and one person's collection is
// invisible to another (a real 404, for the collection and for its videos).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createCollection, launchBrowser, newContext, open, PASSWORD, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'

const MALICIOUS_VTT = `WEBVTT

00:00:01.000 --> 00:00:04.000
<v Mallory>Hello &lt;img src=x onerror=window.__xss=1&gt; there

00:00:05.000 --> 00:00:08.000
<v Mallory>Second line &lt;script&gt;window.__xss=2&lt;/script&gt; done

00:00:09.000 --> 00:00:12.000
<v Mallory>A quoted "&lt;b&gt;bold&lt;/b&gt;" &amp; an ampersand
`

let stack: Stack
let browser: Browser
let owner: BrowserContext
let page: Page
let collectionId: string
let videoId: string
const ownerEmail = uniqueEmail('owner')

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
  owner = await newContext(browser, stack.url)
  page = await owner.newPage()
  await signUp(page, ownerEmail)
  collectionId = await createCollection(page, 'Private research')
  await page.getByTestId('file-input').setInputFiles({ name: 'mallory.vtt', mimeType: 'text/vtt', buffer: Buffer.from(MALICIOUS_VTT) })
  const ready = page.locator('.video-row[data-status="ready"]')
  await ready.waitFor({ timeout: 30_000 })
  videoId = (await ready.getAttribute('data-video-id'))!
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

test('markup in a transcript line renders as text and never runs', async () => {
  const errors = watchErrors(page)
  await open(page, `/videos/${videoId}?t=5`)
  const lines = page.locator('.line__text')
  expect(await lines.nth(0).textContent()).toBe('Hello <img src=x onerror=window.__xss=1> there')
  expect(await lines.nth(1).textContent()).toBe('Second line <script>window.__xss=2</script> done')
  expect(await lines.nth(2).textContent()).toBe('A quoted "<b>bold</b>" & an ampersand')
  expect(await page.locator('.transcript img, .transcript script, .transcript b').count()).toBe(0)
  // The line at t=5 is the highlighted one.
  expect(await page.locator('.line[aria-current="true"] .line__text').textContent()).toContain('Second line')
  // Typing in the filter highlights with <mark> built from nodes, still no markup from the text.
  await page.getByLabel('Filter the transcript').fill('img')
  expect(await page.locator('.line').count()).toBe(1)
  expect(await page.locator('.line mark').textContent()).toBe('img')
  expect(await page.locator('.transcript img').count()).toBe(0)
  await page.waitForTimeout(200)
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
  expect(errors).toEqual([])
}, 30_000)

test('collection search shows the escaped snippet, not the markup', async () => {
  await open(page, `/collections/${collectionId}?q=onerror`)
  const snippet = page.locator('.hit__snippet').first()
  await snippet.waitFor()
  expect(await snippet.textContent()).toContain('<img src=x onerror')
  expect(await page.locator('.hit__snippet img').count()).toBe(0)
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
}, 30_000)

test("another person gets the 404 page for someone else's collection and video", async () => {
  const stranger = await newContext(browser, stack.url)
  try {
    const other = await stranger.newPage()
    await signUp(other, uniqueEmail('stranger'))
    const collection = await other.goto(`/collections/${collectionId}`)
    expect(collection?.status()).toBe(404)
    expect(await other.getByRole('heading', { name: 'Collection not found' }).isVisible()).toBe(true)
    expect(await other.getByText('Private research').count()).toBe(0)

    const video = await other.goto(`/videos/${videoId}`)
    expect(video?.status()).toBe(404)
    expect(await other.getByRole('heading', { name: 'Video not found' }).isVisible()).toBe(true)
    expect(await other.getByText('Mallory').count()).toBe(0)

    // Nor through the api directly.
    expect((await other.request.get(`/api/collections/${collectionId}/videos`)).status()).toBe(404)
  } finally {
    await stranger.close()
  }
}, 30_000)

test('a signed-out visitor is sent to sign in, and comes back after', async () => {
  const anonymous = await newContext(browser, stack.url)
  try {
    const visitor = await anonymous.newPage()
    const response = await visitor.goto(`/collections/${collectionId}`)
    expect(visitor.url()).toBe(`${stack.url}/login?returnTo=${encodeURIComponent(`/collections/${collectionId}`)}`)
    expect(response?.status()).toBe(200)
  } finally {
    await anonymous.close()
  }
}, 30_000)

test('a returnTo that browsers would turn into another host (a tab after the slash) lands on this site after a real sign-in', async () => {
  const context = await newContext(browser, stack.url)
  try {
    // Should the app follow the returnTo, answer for the attacker's host instead of going to the network.
    await context.route(
      (url) => url.hostname === 'evil.example',
      (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>phished</h1>' }),
    )
    const visitor = await context.newPage()
    await open(visitor, '/login?returnTo=%2F%09%2Fevil.example%2Fphish')
    await visitor.getByLabel('Email').fill(ownerEmail)
    await visitor.getByLabel('Password').fill(PASSWORD)
    await visitor.getByRole('button', { name: 'Sign in' }).click()
    await visitor.waitForURL((url) => url.hostname === 'evil.example' || url.pathname === '/collections')
    expect(new URL(visitor.url()).origin).toBe(stack.url)
    expect(new URL(visitor.url()).pathname).toBe('/collections')
  } finally {
    await context.close()
  }
}, 30_000)

test('an expired access token is refreshed during page rendering, with the new cookies sent back', async () => {
  const before = await owner.cookies()
  const oldRefresh = before.find((c) => c.name === '__Host-kt_refresh')?.value
  await owner.clearCookies({ name: '__Host-kt_access' })
  const response = await page.goto('/settings/sessions')
  expect(response?.status()).toBe(200)
  expect(page.url()).toBe(`${stack.url}/settings/sessions`)
  await page.getByRole('heading', { name: 'Sessions' }).waitFor()
  expect(await page.getByText('This device').isVisible()).toBe(true)
  const after = await owner.cookies()
  const access = after.find((c) => c.name === '__Host-kt_access')
  const refresh = after.find((c) => c.name === '__Host-kt_refresh')
  expect(access?.value).toBeTruthy()
  expect(access?.httpOnly).toBe(true)
  expect(access?.secure).toBe(true)
  expect(refresh?.value).toBeTruthy()
  expect(refresh?.value).not.toBe(oldRefresh)
}, 30_000)

test('a wrong password is explained inline, without leaving the page', async () => {
  const context = await newContext(browser, stack.url)
  try {
    const visitor = await context.newPage()
    await open(visitor, '/login')
    await visitor.getByLabel('Email').fill('nobody@example.com')
    await visitor.getByLabel('Password').fill('not the password')
    await visitor.getByRole('button', { name: 'Sign in' }).click()
    const error = visitor.locator('.form-error')
    await error.waitFor()
    expect((await error.textContent())!.length).toBeGreaterThan(10)
    expect(visitor.url()).toBe(`${stack.url}/login`)
  } finally {
    await context.close()
  }
}, 30_000)

test('a malformed subtitle file is refused with the line that is wrong', async () => {
  await open(page, `/collections/${collectionId}`)
  const bad = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfine\n\n00:00:05.000 --> not a time\nbroken\n'
  await page.getByTestId('file-input').setInputFiles({ name: 'broken.vtt', mimeType: 'text/vtt', buffer: Buffer.from(bad) })
  const error = page.locator('.upload .form-error')
  await error.waitFor()
  expect(await error.textContent()).toMatch(/line \d+/i)
  await page.getByRole('button', { name: 'Dismiss broken.vtt' }).click()
  expect(await page.locator('.upload').count()).toBe(0)
}, 30_000)

test('the API reference runs from the app own files under its own CSP: no request leaves the origin, no violation', async () => {
  const docs = await owner.newPage()
  const elsewhere: string[] = []
  docs.on('request', (r) => {
    if (!r.url().startsWith(stack.url) && !r.url().startsWith('data:')) elsewhere.push(r.url())
  })
  try {
    const response = await docs.goto('/api/docs')
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'")
    const title = docs.locator('.swagger-ui .info .title')
    await title.waitFor()
    expect(await title.textContent()).toContain('KnowledgeTree API')
    await docs.locator('.opblock').first().waitFor()
    expect(elsewhere).toEqual([])
  } finally {
    await docs.close()
  }
}, 30_000)
