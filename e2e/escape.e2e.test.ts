// Escape closes what it opened, everywhere: the inline forms (a collection's
// rename on the list and on its page, a Studio document's editor and its
// regenerate form), the dialogs (share), the menus (export) and the cited
// moment beside the chat; and the header offers Chat on every page.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { exportFileName } from '../server/chat/exportConversation.ts'
import { createCollection, launchBrowser, newContext, open, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'
import { TALK } from './talkAndFilm.ts'

let stack: Stack
let browser: Browser
let page: Page
let errors: string[]
let collectionId: string

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
  page = await (await newContext(browser, stack.url)).newPage()
  errors = watchErrors(page)
  await signUp(page, uniqueEmail('escape'))
  collectionId = await createCollection(page, 'BornHack talks')
  await page.getByTestId('file-input').setInputFiles(TALK)
  await page.locator('.video-row[data-status="ready"]').waitFor({ timeout: 60_000 })
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

/** The header's Chat entry is there, whatever the page. */
async function expectChatInHeader(p: Page): Promise<void> {
  const link = p.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Chat' })
  expect(await link.isVisible()).toBe(true)
  // The open collection's chat inside a collection, else the last conversation (/chat).
  expect(await link.getAttribute('href')).toMatch(/^\/(chat|collections\/[0-9a-f-]{36}\/chat)$/)
}

test('Escape closes a collection’s rename, on the list and on its page, and the share dialog; Chat is in the header', async () => {
  await open(page, '/collections')
  await expectChatInHeader(page)
  await page.getByRole('button', { name: 'Rename BornHack talks' }).click()
  const name = page.locator(`#name-${collectionId}`)
  await name.fill('Something else')
  await page.keyboard.press('Escape')
  await name.waitFor({ state: 'detached' })
  await page.getByRole('link', { name: 'BornHack talks' }).waitFor()

  await open(page, `/collections/${collectionId}`)
  await expectChatInHeader(page)
  await page.getByRole('button', { name: 'Edit', exact: true }).click()
  await page.locator('#edit-name').fill('Something else')
  await page.keyboard.press('Escape')
  await page.locator('#edit-name').waitFor({ state: 'detached' })
  expect(await page.locator('.collection-header__title').textContent()).toBe('BornHack talks')

  await page.getByRole('button', { name: 'Share', exact: true }).click()
  const dialog = page.getByRole('dialog')
  await dialog.waitFor()
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  // Closed, not stuck: it opens again.
  await page.getByRole('button', { name: 'Share', exact: true }).click()
  await dialog.waitFor()
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })

  await open(page, `/videos/${await page.locator('.video-row').first().getAttribute('data-video-id')}`)
  await expectChatInHeader(page)
  await open(page, '/settings')
  await expectChatInHeader(page)
  expect(errors).toEqual([])
}, 60_000)

test('Escape closes the export menu, the cited moment, and a Studio document’s editor and regenerate form; the export saves under a single-spaced name', async () => {
  await open(page, `/collections/${collectionId}/chat`)
  await expectChatInHeader(page)
  stack.anthropic.setScript({ text: 'Put a LICENSE file in the repository [1].', tokensPerSecond: 200 })
  await page.locator('#chat-question').fill('What does the speaker say about licenses?')
  await page.keyboard.press('Enter')
  const answer = page.locator('.msg--answer[aria-busy="false"]').first()
  await answer.waitFor({ timeout: 30_000 })
  await page.waitForURL(/\?c=[0-9a-f-]{36}$/)

  const exportButton = page.getByRole('button', { name: 'Export' })
  await exportButton.click()
  expect(await exportButton.getAttribute('aria-expanded')).toBe('true')
  await page.keyboard.press('Escape')
  await page.waitForFunction(() => document.querySelector('[aria-label="Export"]')?.getAttribute('aria-expanded') === 'false')
  expect(await exportButton.evaluate((el) => el === document.activeElement)).toBe(true)
  // What the browser saves: the conversation's title, single-spaced (the menu closes after the choice).
  await page.locator('#chat-title', { hasText: /\S/ }).waitFor()
  const title = (await page.locator('#chat-title').textContent())!.trim()
  await exportButton.click()
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Markdown/ }).click()])
  const filename = download.suggestedFilename()
  expect(filename).toMatch(/^\S+( \S+)*\.md$/)
  expect(filename).toBe(exportFileName(title, 'md'))
  await download.cancel()
  expect(await exportButton.getAttribute('aria-expanded')).toBe('false')

  await answer.locator('button.cite-chip').first().click()
  const moment = page.locator('#chat-panel .moment')
  await moment.waitFor()
  await page.mouse.move(640, 600)
  await page.keyboard.press('Escape')
  await moment.waitFor({ state: 'detached' })
  await page.locator('#chat-panel .source-list').first().waitFor()

  await page.locator('.chat-head').getByRole('button', { name: 'Studio' }).click()
  stack.anthropic.setScript({ text: '## Licenses in one page\n\n- Put a LICENSE file in the repository [1].', tokensPerSecond: 200 })
  await page.locator('.kind', { hasText: 'Summary' }).click()
  await page.locator('#artifact-title').waitFor()
  const content = page.locator('.artifact__content')
  await content.locator('h2', { hasText: 'Licenses in one page' }).waitFor()

  await page.getByRole('button', { name: 'Edit', exact: true }).click()
  const editor = page.locator('#artifact-editor')
  await editor.fill('Something else entirely')
  await page.keyboard.press('Escape')
  await editor.waitFor({ state: 'detached' })
  expect(await content.locator('h2').textContent()).toBe('Licenses in one page')

  await page.getByRole('button', { name: 'Regenerate', exact: true }).last().click()
  const instructions = page.locator('#regen-instructions')
  await instructions.fill('shorter')
  await page.keyboard.press('Escape')
  await instructions.waitFor({ state: 'detached' })
  // Escape in a Studio form closed only that form: the document is still open.
  expect(await page.locator('#artifact-title').isVisible()).toBe(true)
  expect(errors).toEqual([])
}, 60_000)
