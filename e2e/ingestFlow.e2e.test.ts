// The main path: sign up, create a collection, drop a subtitle file, watch it
// become ready live, search it, and open the transcript at a moment.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createCollection, launchBrowser, newContext, open, screenshot, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { linkIn } from '../testing/smtpServer.ts'
import { startStack, type Stack } from './startStack.ts'
import { transcriptPath } from '../testing/datasets.ts'

const VTT = transcriptPath('talkpython__534-diskcache-your-secret-python-perf-weapon.vtt')

let stack: Stack
let browser: Browser
let context: BrowserContext
let page: Page
let errors: string[]

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
  context = await newContext(browser, stack.url)
  page = await context.newPage()
  errors = watchErrors(page)
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

test('the login page renders and is the first thing a returning person sees', async () => {
  await open(page, '/collections')
  await page.waitForURL(/\/login\?returnTo=%2Fcollections$/)
  await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true)
  await screenshot(page, 'login')
}, 30_000)

test('sign up, upload a transcript, watch it get ready, open it at a moment', async () => {
  const email = uniqueEmail('ada')
  await signUp(page, email)
  expect(await page.getByText(`We sent a link to ${email}`).isVisible()).toBe(true)
  const verification = await stack.smtp.waitFor((m) => m.to.includes(email))
  // The emailed link confirms the address once the page is open (a POST from the page).
  await open(page, linkIn(verification, `${stack.url}/verify-email?token=`))
  await page.getByRole('heading', { name: 'Email confirmed' }).waitFor()

  const collectionId = await createCollection(page, 'Python podcasts', 'Talk Python episodes on performance and tooling.')
  await page.getByRole('heading', { name: 'Python podcasts' }).waitFor()
  await page.getByText('No videos yet').waitFor()

  await page.getByTestId('file-input').setInputFiles(VTT)
  const row = page.locator('.video-row').first()
  await row.waitFor()
  // Progress arrives over the SSE stream; the row ends up ready without a reload.
  await page.locator('.video-row[data-status="ready"]').waitFor({ timeout: 60_000 })
  expect(await row.locator('.status-badge').textContent()).toBe('Ready')
  expect(await page.locator('.count').textContent()).toBe('1')

  await screenshot(page, 'collection', { fullPage: false })
  await page.emulateMedia({ colorScheme: 'dark' })
  await screenshot(page, 'collection-dark')
  await page.emulateMedia({ colorScheme: 'light' })

  // "/" focuses the search box; results open full width on the search page.
  await page.keyboard.press('/')
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('collection-q')
  await page.keyboard.type('SQLite')
  await page.keyboard.press('Enter')
  await page.waitForURL(/\/collections\/[0-9a-f-]{36}\/search\?q=SQLite$/)
  const hit = page.locator('.hit').first()
  await hit.waitFor()
  const hits = await page.locator('.hit').all()
  expect(await page.getByTestId('search-count').textContent()).toBe(`${hits.length} passage${hits.length === 1 ? '' : 's'} in 1 video`)
  // Every hit shows why it matched: the marked word lies inside its snippet's box, never cut off.
  for (const h of hits) {
    const mark = h.locator('.hit__snippet mark').first()
    expect((await mark.textContent())!.toLowerCase()).toBe('sqlite')
    const [m, box] = [await mark.boundingBox(), await h.locator('.hit__snippet').boundingBox()]
    expect(m!.y + m!.height).toBeLessThanOrEqual(box!.y + box!.height + 1)
  }
  expect((await hit.boundingBox())!.width).toBeGreaterThan(600)
  await screenshot(page, 'search', { fullPage: false })
  // A question the talk does not touch says so rather than listing filler.
  await open(page, `/collections/${collectionId}/search?q=${encodeURIComponent('how does photosynthesis work in tropical rainforests?')}`)
  await page.getByText('Nothing matched “how does photosynthesis work in tropical rainforests?”').waitFor()
  expect(await page.locator('.hit').count()).toBe(0)
  // Old links to the collection with ?q= land on the search page.
  await open(page, `/collections/${collectionId}?q=SQLite`)
  await page.waitForURL(/\/search\?q=SQLite$/)
  await page.locator('.hit').first().waitFor()

  await open(page, `/collections/${collectionId}`)
  const videoId = (await row.getAttribute('data-video-id'))!
  await open(page, `/videos/${videoId}?t=125`)
  const current = page.locator('.line[aria-current="true"]')
  await current.waitFor()
  expect(await current.locator('.timestamp').textContent()).toMatch(/^2:0\d$/)
  expect(await current.isVisible()).toBe(true)
  expect(await page.getByRole('heading', { name: 'Transcript' }).isVisible()).toBe(true)

  // The server sent a window of lines around the moment; the browser then
  // shows the whole talk virtualised: a few dozen of its 1,890 lines in the DOM.
  await page.locator('.transcript__lines--virtual').waitFor()
  // Every line measured and placed: no two rendered lines overlap.
  await page.waitForFunction(() => {
    const boxes = [...document.querySelectorAll('.transcript__lines--virtual > .line')].map((l) => l.getBoundingClientRect())
    boxes.sort((a, b) => a.top - b.top)
    return boxes.length > 5 && boxes.every((b, i) => i === 0 || b.top >= boxes[i - 1]!.bottom - 0.5)
  })
  expect(await page.locator('.line[aria-current="true"]').isVisible()).toBe(true)
  await screenshot(page, 'transcript-viewer')
  const rendered = await page.locator('.line').count()
  expect(rendered).toBeGreaterThan(5)
  expect(rendered).toBeLessThan(200)

  // Clicking a line moves ?t= and the highlight.
  const target = page.locator('.line:not([aria-current])').nth(3)
  const ordinal = (await target.getAttribute('data-ordinal'))!
  const startMs = Number(await target.getAttribute('data-start-ms'))
  await target.locator('button').click()
  await page.waitForURL((url) => url.searchParams.get('t') !== '125')
  expect(Number(new URL(page.url()).searchParams.get('t'))).toBe(Math.floor(startMs / 1000))
  await page.locator(`.line[data-ordinal="${ordinal}"][aria-current="true"]`).waitFor()

  // Filtering keeps only matching lines, with the match marked, and shows the first match.
  await page.getByLabel('Filter the transcript').fill('redis')
  await page.locator('.transcript__count').waitFor()
  const lines = await page.locator('.line').count()
  expect(lines).toBeGreaterThan(0)
  expect(lines).toBeLessThan(40)
  expect((await page.locator('.line mark').first().textContent())!.toLowerCase()).toBe('redis')
  const first = await page.locator('.line[data-index="0"]').boundingBox()
  expect(first!.y).toBeGreaterThanOrEqual(0)
  expect(first!.y + first!.height).toBeLessThanOrEqual(page.viewportSize()!.height)

  await open(page, '/collections')
  await page.locator('.collection-card').first().waitFor()
  expect(await page.locator('.collection-card__meta').first().textContent()).toContain('1 ready')
  await screenshot(page, 'collections')

  expect(collectionId).toMatch(/^[0-9a-f-]{36}$/)
  expect(errors).toEqual([])
}, 90_000)

test('rename a collection inline, and delete one after confirming in a dialog', async () => {
  await createCollection(page, 'Scratch')
  await open(page, '/collections')
  await page.getByRole('button', { name: 'Rename Scratch' }).click()
  await page.locator('.collection-card__edit input[name="name"]').fill('Scratch pad')
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByRole('link', { name: 'Scratch pad' }).waitFor()

  await page.getByRole('button', { name: 'Delete Scratch pad' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.waitFor()
  expect(await dialog.getByRole('heading').textContent()).toBe('Delete “Scratch pad”?')
  // Escape cancels; nothing is deleted.
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  await page.getByRole('button', { name: 'Delete Scratch pad' }).click()
  await dialog.getByRole('button', { name: 'Delete collection' }).click()
  await page.getByRole('link', { name: 'Scratch pad' }).waitFor({ state: 'detached' })
  expect(await page.getByRole('link', { name: 'Python podcasts' }).isVisible()).toBe(true)
  expect(errors).toEqual([])
}, 30_000)
