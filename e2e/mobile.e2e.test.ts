// Phone width: the collection page and the transcript viewer fit without
// sideways scrolling.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { createCollection, launchBrowser, newContext, open, screenshot, signUp, uniqueEmail } from './browser.ts'
import { REPO, startStack, type Stack } from './startStack.ts'

const SECOND = join(REPO, '..', 'shared', 'datasets', 'transcripts', 'exoplayer__typical_with_byte_order_mark.srt')
const SRT = join(
  REPO,
  '..',
  'shared',
  'datasets',
  'transcripts',
  'bornhacksubs__2021-440-eng-How_to_open_source_your_code_properly_hd.mp4.srt',
)

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
