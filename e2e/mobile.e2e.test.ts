// Phone width: the collection page and the transcript viewer fit without
// sideways scrolling.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { createCollection, launchBrowser, newContext, open, screenshot, signUp, uniqueEmail } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'
import { transcriptPath } from '../testing/datasets.ts'

const SECOND = transcriptPath('exoplayer__typical_with_byte_order_mark.srt')
const SRT = transcriptPath('bornhacksubs__2021-440-eng-How_to_open_source_your_code_properly_hd.mp4.srt')

let stack: Stack
let browser: Browser
let page: Page

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
  const context = await newContext(browser, stack.url, { width: 390, height: 844 })
  page = await context.newPage()
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

async function horizontalOverflow(p: Page): Promise<number> {
  const { overflow, culprits } = await p.evaluate(() => {
    const width = document.documentElement.clientWidth
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`)
    return { overflow: document.documentElement.scrollWidth - width, culprits }
  })
  if (overflow > 0) console.error(`horizontal overflow of ${overflow}px on ${p.url()}:`, culprits)
  return overflow
}

test('the collection page fits a 390 px wide phone', async () => {
  await signUp(page, uniqueEmail('phone'))
  await createCollection(
    page,
    'Conference talks with a rather long collection name that must wrap',
    'Open-source and privacy talks from BornHack.',
  )
  // Several files at once, as from a drop.
  await page.getByTestId('file-input').setInputFiles([SRT, SECOND])
  await page.waitForFunction(() => document.querySelectorAll('.video-row[data-status="ready"]').length === 2, null, { timeout: 30_000 })
  expect(await horizontalOverflow(page)).toBe(0)
  await screenshot(page, 'collection-mobile', { fullPage: true })

  await page.getByRole('link', { name: /open source your code/ }).click()
  await page.locator('.line').first().waitFor()
  expect(await horizontalOverflow(page)).toBe(0)
  await screenshot(page, 'transcript-mobile')

  await page.setViewportSize({ width: 360, height: 740 })
  await open(page, '/collections')
  expect(await horizontalOverflow(page)).toBe(0)
  // A long user agent is cut, not laid out at full width.
  await open(page, '/settings/sessions')
  expect(await horizontalOverflow(page)).toBe(0)
}, 60_000)

// A 120-character file name without spaces, as cameras and exports make them.
const LONG_NAME = `${'conference_2024__keynote_the_long_and_winding_road_of_open_source_maintenance_'.padEnd(113, 'x')}_hd.vtt`
const VTT = 'WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nA short caption about maintenance.\n'

/** How far `inner` pokes out of `outer`, in px (0 when inside). */
async function overhang(p: Page, inner: string, outer: string): Promise<number> {
  const [a, b] = [await p.locator(inner).first().boundingBox(), await p.locator(outer).first().boundingBox()]
  return Math.max(0, b!.x - a!.x, a!.x + a!.width - (b!.x + b!.width))
}

test('a 120-character file name stays inside the Add videos card, and the bar shows what its label says', async () => {
  expect(LONG_NAME).toHaveLength(120)
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 })
    await createCollection(page, `Long names at ${width}`)
    // Hold the upload in flight so its row can be measured.
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    await page.route('**/videos/transcripts', async (route) => {
      await held
      await route.continue()
    })
    await page.getByTestId('file-input').setInputFiles({ name: LONG_NAME, mimeType: 'text/vtt', buffer: Buffer.from(VTT) })
    const upload = page.locator('.upload').first()
    await upload.waitFor()
    expect(await upload.locator('.upload__name').getAttribute('title')).toBe(LONG_NAME)
    expect(await overhang(page, '.upload', '.add-panel')).toBe(0)
    expect(await overhang(page, '.upload__state', '.add-panel')).toBe(0)
    expect(await horizontalOverflow(page)).toBe(0)
    // The label's figure, the bar's value and its filled width agree.
    const label = Number((await upload.locator('.upload__state').textContent())!.match(/(\d+)%/)![1])
    const bar = upload.getByRole('progressbar')
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBe(label)
    const [fill, track] = [await bar.locator('.progress__fill').boundingBox(), await bar.boundingBox()]
    expect(Math.abs((100 * fill!.width) / track!.width - label)).toBeLessThan(1)
    release()
    // Uploaded: the row leaves the list, and the video's title (from the name) wraps inside its row.
    await page.locator('.video-row').first().waitFor()
    await upload.waitFor({ state: 'detached' })
    await page.unroute('**/videos/transcripts')
    expect(await overhang(page, '.video-row__title', '.video-list')).toBe(0)
    expect(await horizontalOverflow(page)).toBe(0)
  }
}, 90_000)
