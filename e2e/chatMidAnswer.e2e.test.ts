// An answer in the middle of being written: reloading the page picks it up
// again and it completes once, word for word; stopping it keeps the partial
// text, marked stopped, also after a reload. (The rest of the chat's main
// path: chat.e2e.test.ts.)
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { createCollection, launchBrowser, newContext, open, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'
import { transcriptPath } from '../testing/datasets.ts'
import { rendered, sampleUntilDone, snapshot } from './answerSnapshot.ts'

const VTT = transcriptPath('talkpython__534-diskcache-your-secret-python-perf-weapon.vtt')

// Plain text, so the rendered answer can be compared word for word.
const LONG_ANSWER = `Vincent uses DiskCache to keep the results of slow notebook cells between sessions [1]. ${Array.from({ length: 200 }, (_, i) => `w${i + 1}`).join(' ')} and that is the end of it [2].`

let stack: Stack
let browser: Browser
let page: Page
let errors: string[]
let collectionId: string

async function ask(p: Page, question: string): Promise<void> {
  await p.locator('#chat-question').fill(question)
  await p.keyboard.press('Enter')
}

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
  page = await (await newContext(browser, stack.url)).newPage()
  errors = watchErrors(page)
  await signUp(page, uniqueEmail('chat-mid-answer'))
  collectionId = await createCollection(page, 'Python podcasts', 'Talk Python episodes on performance and tooling.')
  await page.getByTestId('file-input').setInputFiles(VTT)
  await page.locator('.video-row[data-status="ready"]').waitFor({ timeout: 60_000 })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

test('reloading mid-answer picks the answer up again and it completes once, word for word', async () => {
  await open(page, `/collections/${collectionId}/chat`)
  stack.anthropic.setScript({ text: LONG_ANSWER, tokensPerSecond: 20 })
  await ask(page, 'What does Vincent use DiskCache for?')
  await page.waitForURL(/\?c=[0-9a-f-]{36}$/)
  await page.waitForFunction(() => (document.querySelector('.msg--answer .md')?.textContent ?? '').length > 80)
  const before = await snapshot(page)
  expect(before.busy).toBe('true')

  await page.reload()
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
  await page.locator('.msg--answer').first().waitFor()
  const after = await sampleUntilDone(page)
  // Still being written after the reload, then complete with the whole text, once.
  expect(after.some((s) => s.busy === 'true' && s.stop)).toBe(true)
  const final = after.at(-1)!
  expect(final.answers).toBe(1)
  expect(final.text).toBe(rendered(LONG_ANSWER))
  expect(final.stopped).toBe(false)
  expect(await page.locator('.msg--user').count()).toBe(1)
  expect(errors).toEqual([])
}, 40_000)

test('stopping mid-answer keeps the partial text, marked stopped, also after a reload', async () => {
  stack.anthropic.setScript({ text: LONG_ANSWER, tokensPerSecond: 20 })
  const requestIndex = stack.anthropic.requests.length
  await ask(page, 'Tell me more about those notebooks.')
  await page.waitForFunction(() => {
    const answers = document.querySelectorAll('.msg--answer')
    return answers.length === 2 && (answers[1]!.querySelector('.md')?.textContent ?? '').length > 60
  })
  await page.getByRole('button', { name: 'Stop the answer' }).click()
  // The model request is cancelled, not just hidden. A follow-up is first
  // rewritten by one non-streaming call, so the answer is the last request.
  expect(stack.anthropic.requests.length).toBeGreaterThan(requestIndex)
  await stack.anthropic.waitForAbort(stack.anthropic.requests.length - 1, { timeoutMs: 10_000 })
  const samples = await sampleUntilDone(page)
  const stopped = samples.at(-1)!
  expect(stopped.stopped).toBe(true)
  expect(stopped.stop).toBe(false)
  expect(stopped.text.length).toBeGreaterThan(60)
  expect(stopped.text.length).toBeLessThan(rendered(LONG_ANSWER).length)
  expect(rendered(LONG_ANSWER).startsWith(stopped.text.replace(/ \d$/, ''))).toBe(true)

  await page.reload()
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
  await page.locator('.msg--answer').nth(1).locator('.badge', { hasText: 'Stopped' }).waitFor()
  const reloaded = await snapshot(page)
  expect(reloaded).toMatchObject({ busy: 'false', stopped: true, stop: false, answers: 2, text: stopped.text })
  expect(errors).toEqual([])
}, 40_000)
