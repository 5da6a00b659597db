// The chat follows the URL: "New conversation" from an open one starts a new
// one, deleting the open conversation clears it, back/forward move between
// conversations. Also the small ergonomics around it: the composer has focus,
// Escape closes inline forms, the header always offers Chat.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { createCollection, launchBrowser, newContext, open, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'
import { transcriptPath } from '../testing/datasets.ts'

const SRT = transcriptPath('bornhacksubs__2021-440-eng-How_to_open_source_your_code_properly_hd.mp4.srt')

let stack: Stack
let browser: Browser
let page: Page
let errors: string[]
let collectionId: string

const chatPath = () => `/collections/${collectionId}/chat`
const conversationInUrl = (p: Page) => new URL(p.url()).searchParams.get('c')

async function askAndWait(p: Page, question: string): Promise<void> {
  const before = await p.locator('.msg--answer').count()
  await p.locator('#chat-question').fill(question)
  await p.keyboard.press('Enter')
  await p.locator('.msg--answer[aria-busy="false"]').nth(before).waitFor({ timeout: 30_000 })
}

const questions = (p: Page) => p.locator('.msg--user').allTextContents()

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
  page = await (await newContext(browser, stack.url)).newPage()
  errors = watchErrors(page)
  await signUp(page, uniqueEmail('chatnav'))
  collectionId = await createCollection(page, 'BornHack talks')
  await page.getByTestId('file-input').setInputFiles(SRT)
  await page.locator('.video-row[data-status="ready"]').waitFor({ timeout: 60_000 })
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

test('"New conversation" from an open conversation starts a new one; back and forward move between them', async () => {
  stack.anthropic.setScript({ text: 'Pick a license early and put it in a LICENSE file [1].', tokensPerSecond: 200 })
  await open(page, chatPath())
  // The composer has focus on load (a device with a mouse and keyboard).
  await page.locator('#chat-question:focus').waitFor()
  await askAndWait(page, 'Which license should I pick?')
  await page.waitForURL(/\?c=[0-9a-f-]{36}$/)
  const first = conversationInUrl(page)!

  // exact: until its title is made, the open conversation's own link in the list is also "New conversation".
  await page.getByRole('link', { name: 'New conversation', exact: true }).click()
  await page.waitForURL((url) => url.pathname === chatPath() && !url.searchParams.has('c'))
  await page.locator('.chat-empty').waitFor()
  expect(await page.locator('#chat-title').textContent()).toBe('New conversation')
  expect(await page.locator('.msg').count()).toBe(0)
  await page.locator('#chat-question:focus').waitFor()

  await askAndWait(page, 'Where does the README go?')
  await page.waitForURL(/\?c=[0-9a-f-]{36}$/)
  const second = conversationInUrl(page)!
  expect(second).not.toBe(first)
  expect(await questions(page)).toEqual(['Where does the README go?'])
  // The first conversation kept its one question.
  const saved = await page.evaluate(
    async (id) => (await (await fetch(`/api/conversations/${id}`)).json()) as { messages: { role: string; content: string }[] },
    first,
  )
  expect(saved.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['Which license should I pick?'])

  // Opening the first from the list, then back and forward.
  await page.locator('.conv__link', { hasText: 'Which license' }).click()
  await page.waitForURL((url) => url.searchParams.get('c') === first)
  await page.locator('.msg--user', { hasText: 'Which license should I pick?' }).waitFor()
  await page.goBack()
  await page.waitForURL((url) => url.searchParams.get('c') === second)
  await page.locator('.msg--user', { hasText: 'Where does the README go?' }).waitFor()
  expect(await questions(page)).toEqual(['Where does the README go?'])
  await page.goBack()
  await page.waitForURL((url) => url.pathname === chatPath() && !url.searchParams.has('c'))
  await page.locator('.chat-empty').waitFor()
  await page.goForward()
  await page.waitForURL((url) => url.searchParams.get('c') === second)
  await page.locator('.msg--user', { hasText: 'Where does the README go?' }).waitFor()
  expect(errors).toEqual([])
}, 60_000)

test('deleting the open conversation clears it, and the next question starts a new one', async () => {
  stack.anthropic.setScript({ text: 'Use the MIT license when you want the fewest conditions [1].', tokensPerSecond: 200 })
  await open(page, chatPath())
  await askAndWait(page, 'Is MIT a good default?')
  await page.waitForURL(/\?c=[0-9a-f-]{36}$/)
  const doomed = conversationInUrl(page)!

  await page.getByRole('button', { name: /^Delete “Is MIT a good default/ }).click()
  const dialog = page.getByRole('dialog')
  // Escape closes the dialog without deleting…
  await dialog.waitFor()
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  expect(conversationInUrl(page)).toBe(doomed)
  // …and confirming deletes it and leaves an empty chat.
  await page.getByRole('button', { name: /^Delete “Is MIT a good default/ }).click()
  await dialog.getByRole('button', { name: 'Delete' }).click()
  await page.waitForURL((url) => url.pathname === chatPath() && !url.searchParams.has('c'))
  await page.locator('.chat-empty').waitFor()
  expect(await page.locator('#chat-title').textContent()).toBe('New conversation')
  expect(await page.locator('.msg').count()).toBe(0)

  await askAndWait(page, 'And GPL?')
  await page.waitForURL(/\?c=[0-9a-f-]{36}$/)
  expect(conversationInUrl(page)).not.toBe(doomed)
  expect(await questions(page)).toEqual(['And GPL?'])
  expect(await page.locator('.composer__error').count()).toBe(0)
  expect(errors).toEqual([])
}, 60_000)

test('Escape closes the inline rename; the header offers Chat everywhere; exports have clean names', async () => {
  await open(page, '/collections')
  const chatLink = page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Chat' })
  expect(await chatLink.getAttribute('href')).toBe('/chat')
  await chatLink.click()
  // Back to the conversation you had last.
  await page.waitForURL((url) => url.pathname === chatPath() && url.searchParams.has('c'))
  await page.locator('.msg--answer[aria-busy="false"]').first().waitFor()
  const id = conversationInUrl(page)!

  const title = (await page.locator('#chat-title').textContent())!
  await page.getByRole('button', { name: `Rename “${title}”` }).click()
  const input = page.getByLabel('Conversation title')
  await input.fill('Something else')
  await page.keyboard.press('Escape')
  await input.waitFor({ state: 'detached' })
  expect(await page.locator('#chat-title').textContent()).toBe(title)

  // Punctuation in the title becomes single spaces in the file name.
  await page.evaluate(async (cid) => {
    await fetch(`/api/conversations/${cid}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Licenses: MIT / GPL — which?' }),
    })
  }, id)
  const disposition = await page.evaluate(
    async (cid) => (await fetch(`/api/conversations/${cid}/export?format=markdown`)).headers.get('content-disposition'),
    id,
  )
  expect(disposition).toBe(`attachment; filename="Licenses MIT GPL which.md"; filename*=UTF-8''Licenses%20MIT%20GPL%20which.md`)
  expect(errors).toEqual([])
}, 30_000)
