// Regenerate and edit-and-resend: both replace the exchange and everything
// after it (no branches), in the page and on the server; neither is offered
// while an answer is being written; Escape cancels an edit.
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
  ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
  page = await (await newContext(browser, stack.url)).newPage()
  await signUp(page, uniqueEmail('resend'))
  collectionId = await createCollection(page, 'BornHack talks')
  await page.getByTestId('file-input').setInputFiles(SRT)
  await page.locator('.video-row[data-status="ready"]').waitFor({ timeout: 60_000 })
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

const questions = () => page.locator('.msg--user .msg__question').allTextContents()
const answers = async () => (await page.locator('.msg--answer .md').allTextContents()).map((t) => t.trim())
const settled = (n: number) =>
  page
    .locator('.msg--answer[aria-busy="false"]')
    .nth(n - 1)
    .waitFor({ timeout: 30_000 })

async function ask(question: string, answer: string, n: number): Promise<void> {
  stack.anthropic.setScript({ text: answer, tokensPerSecond: 400 })
  await page.locator('#chat-question').fill(question)
  await page.keyboard.press('Enter')
  await settled(n)
}

async function storedMessages(): Promise<string[]> {
  const c = new URL(page.url()).searchParams.get('c')!
  const rows = await stack.db.sql<{ content: string }[]>`select content from messages where conversation_id = ${c} order by created_at, id`
  return rows.map((r) => r.content)
}

test('Regenerate writes an answer again and drops the later exchange; editing a question replaces it', async () => {
  const errors = watchErrors(page)
  await open(page, `/collections/${collectionId}/chat`)
  await ask('Which license should I pick?', 'Pick the MIT license.', 1)
  await ask('Where does the README go?', 'At the top of the repository.', 2)

  // While an answer is being written, nothing can be regenerated or edited.
  stack.anthropic.setScript({ text: `A slow answer. ${'More words here. '.repeat(60)}`, tokensPerSecond: 15 })
  await page.locator('#chat-question').fill('Tell me more.')
  await page.keyboard.press('Enter')
  await page.locator('.msg--answer[aria-busy="true"] .md').waitFor({ timeout: 30_000 })
  expect(await page.getByRole('button', { name: 'Regenerate' }).count()).toBe(0)
  expect(await page.getByRole('button', { name: 'Edit question' }).count()).toBe(0)
  await page.getByRole('button', { name: 'Stop the answer' }).click()
  await page.locator('.msg--answer').nth(2).locator('.badge', { hasText: 'Stopped' }).waitFor({ timeout: 30_000 })

  // Regenerate the first answer: it is written again; the later exchanges are gone, here and on the server.
  stack.anthropic.setScript({ text: 'Pick the Apache license.', tokensPerSecond: 400 })
  await page.locator('.msg--answer').first().getByRole('button', { name: 'Regenerate' }).click()
  await page.locator('.msg--answer[aria-busy="false"] .md', { hasText: 'Apache' }).waitFor({ timeout: 30_000 })
  expect(await questions()).toEqual(['Which license should I pick?'])
  expect(await answers()).toEqual(['Pick the Apache license.'])
  expect(await storedMessages()).toEqual(['Which license should I pick?', 'Pick the Apache license.'])

  // Escape cancels an edit; Enter sends it in place of the question.
  await page.getByRole('button', { name: 'Edit question' }).click()
  await page.getByLabel('Edit your question').fill('Never mind')
  await page.keyboard.press('Escape')
  expect(await page.getByLabel('Edit your question').count()).toBe(0)
  expect(await questions()).toEqual(['Which license should I pick?'])

  stack.anthropic.setScript({ text: 'Use a GPL license for copyleft.', tokensPerSecond: 400 })
  await page.getByRole('button', { name: 'Edit question' }).click()
  await page.getByLabel('Edit your question').fill('Which copyleft license should I pick?')
  await page.keyboard.press('Enter')
  await page.locator('.msg--answer[aria-busy="false"] .md', { hasText: 'GPL' }).waitFor({ timeout: 30_000 })
  expect(await questions()).toEqual(['Which copyleft license should I pick?'])
  expect(await storedMessages()).toEqual(['Which copyleft license should I pick?', 'Use a GPL license for copyleft.'])
  // The model saw the edited question and no trace of the replaced exchange.
  const sent = stack.anthropic.requests.at(-1)!.body as { messages: { content: string }[] }
  expect(sent.messages).toHaveLength(1)
  expect(sent.messages[0]!.content).toContain('Which copyleft license should I pick?')

  // After a reload the conversation is the same.
  await page.reload()
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
  await settled(1)
  expect(await questions()).toEqual(['Which copyleft license should I pick?'])
  expect(errors).toEqual([])
}, 120_000)
