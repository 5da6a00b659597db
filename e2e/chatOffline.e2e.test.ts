// Without an Anthropic key the chat still answers, by quoting the passages
// that match best, and says so on the answer.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { createCollection, launchBrowser, newContext, open, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { REPO, startStack, type Stack } from './startStack.ts'

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
  ;[stack, browser] = await Promise.all([startStack({ ANTHROPIC_API_KEY: '' }), launchBrowser()])
  page = await (await newContext(browser, stack.url)).newPage()
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

test('with no language model configured, the answer quotes passages and is labelled so', async () => {
  const errors = watchErrors(page)
  await signUp(page, uniqueEmail('offline'))
  const collectionId = await createCollection(page, 'BornHack talks')
  await page.getByTestId('file-input').setInputFiles(SRT)
  await page.locator('.video-row[data-status="ready"]').waitFor({ timeout: 30_000 })

  await open(page, `/collections/${collectionId}/chat`)
  await page.locator('#chat-question').fill('Which license should I pick for my code?')
  await page.keyboard.press('Enter')
  const answer = page.locator('.msg--answer[aria-busy="false"]')
  await answer.waitFor({ timeout: 30_000 })
  const label = answer.locator('.notice[role="note"]')
  expect(await label.locator('strong').textContent()).toBe('Quoting, not answering.')
  expect(await label.textContent()).toContain('No language model is configured')
  // Still an answer with its sources: quoted text and citation chips.
  expect((await answer.locator('.md').textContent())!.length).toBeGreaterThan(40)
  expect(await answer.locator('button.cite-chip').count()).toBeGreaterThan(0)
  expect(stack.anthropic.requests.length).toBe(0)

  // The label is saved with the answer: it is there after a reload too.
  await page.reload()
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
  await page.locator('.msg--answer .notice[role="note"]').waitFor()
  expect(errors).toEqual([])
}, 60_000)
