// Without an Anthropic key the chat still answers, by quoting the passages
// that match best, and says so on the answer.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { createCollection, launchBrowser, newContext, open, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'
import { transcriptPath } from '../testing/datasets.ts'

const SRT = transcriptPath('bornhacksubs__2021-440-eng-How_to_open_source_your_code_properly_hd.mp4.srt')

let stack: Stack
let browser: Browser
let page: Page
let collectionId: string

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
  collectionId = await createCollection(page, 'BornHack talks')
  await page.getByTestId('file-input').setInputFiles(SRT)
  await page.locator('.video-row[data-status="ready"]').waitFor({ timeout: 30_000 })

  await open(page, `/collections/${collectionId}/chat`)
  // Answer settings offer only what quoting can honour: no "model alone", no model, no temperature.
  await page.getByRole('button', { name: 'Answer settings' }).click()
  const settings = page.getByRole('form', { name: 'Answer settings' })
  await settings.getByText('No language model is set up').waitFor()
  expect(await settings.getByLabel('Passages', { exact: true }).isEnabled()).toBe(true)
  expect(await settings.locator('input[type="radio"], select, input[name="temperature"]').count()).toBe(0)
  await page.keyboard.press('Escape')
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

// This stack has neither a language model nor a transcription service: the
// pages promise neither (GET /api/capabilities), and name no configuration.
test('a server without a language model or transcription offers only what it can do', async () => {
  const errors = watchErrors(page)
  const formats = 'VTT, SRT, SBV, YouTube XML, YouTube json3 or TXT'

  await open(page, '/')
  const features = (await page.locator('#features').textContent())!
  expect(features).toContain(`upload its subtitle files (${formats})`)
  expect(features).toContain('get the passages that answer it')
  expect(features).not.toMatch(/audio|transcribe/i)

  await open(page, `/collections/${collectionId}`)
  const dropzone = page.locator('.add-panel__files')
  expect(await dropzone.getByTestId('dropzone-formats').textContent()).toContain(`${formats}, up to 10 MB.`)
  expect(await dropzone.textContent()).not.toMatch(/audio/i)
  const accept = (await page.getByTestId('file-input').getAttribute('accept'))!
  expect(accept.split(',')).toEqual(expect.arrayContaining(['.vtt', '.srt', '.sbv', '.xml', '.json3', '.txt']))
  expect(accept).not.toContain('audio/')

  // The empty conversation suggests questions a quoted passage answers: no summaries or comparisons.
  await open(page, `/collections/${collectionId}/chat`)
  const suggestions = page.getByRole('list', { name: 'Suggested questions' })
  await suggestions.waitFor()
  const asked = (await suggestions.locator('button').allTextContents()).join(' | ')
  expect(asked).toContain('How to open source your code properly')
  expect(asked).not.toMatch(/summar|agree|main ideas/i)
  expect(await page.locator('.chat-empty__lede').textContent()).toContain('quote the passages')

  // Studio says its documents are quoted, and offers no FAQ (it needs questions written for it).
  const [conversation] = await stack.db.sql<{ id: string }[]>`select id from conversations order by created_at limit 1`
  await open(page, `/collections/${collectionId}/chat?c=${conversation!.id}`)
  await page.locator('.msg--answer[aria-busy="false"]').waitFor()
  await page.locator('.chat-head').getByRole('button', { name: 'Studio' }).click()
  await page.locator('.kind', { hasText: 'Summary' }).waitFor()
  expect(await page.locator('.kind__label').allTextContents()).toEqual(['Summary', 'Study notes', 'Outline', 'Custom'])
  expect(await page.locator('.panel-note').textContent()).toContain('No language model on this server')

  // No page names a configuration variable.
  for (const path of ['/', `/collections/${collectionId}`]) {
    await open(page, path)
    expect(await page.locator('body').textContent()).not.toMatch(/[A-Z]+_(?:API_KEY|BASE_URL|PROXY_URL|URL)\b/)
  }
  expect(errors).toEqual([])
}, 60_000)
