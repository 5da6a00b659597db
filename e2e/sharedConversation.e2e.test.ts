// Sharing one conversation in the browser: its author switches it to "Share
// with collection members (read-only)"; another member finds it under "Shared
// in this collection", reads it without a composer, cannot post into it and
// exports it; once the author makes it private again it is gone for them. The
// list follows when the reader comes back to the page (focus), without a reload.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { callApi, createCollection, launchBrowser, newContext, open, screenshot, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'

const VTT = 'WEBVTT\n\n00:00:01.000 --> 00:00:06.000\nWe agreed to move the launch to Thursday because of the database migration.\n'
const QUESTION = 'When is the launch?'

let stack: Stack
let browser: Browser
let author: Page
let reader: Page
const contexts: BrowserContext[] = []
let collectionId: string

async function person(name: string): Promise<Page> {
  const context = await newContext(browser, stack.url)
  contexts.push(context)
  const page = await context.newPage()
  await signUp(page, uniqueEmail(name.toLowerCase()), name)
  return page
}

// What the browser fires when the person switches back to this tab or window.
const comeBack = (page: Page) => page.evaluate(() => window.dispatchEvent(new Event('focus')))
const sharedList = (page: Page) => page.getByTestId('shared-conversations')
const sharedLink = (page: Page) => sharedList(page).locator('.conv__link', { hasText: QUESTION })

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
  author = await person('Olive')
  collectionId = await createCollection(author, 'Team meetings')
  await author.getByTestId('file-input').setInputFiles({ name: 'standup.vtt', mimeType: 'text/vtt', buffer: Buffer.from(VTT) })
  await author.locator('.video-row[data-status="ready"]').waitFor({ timeout: 60_000 })
  // The reader joins as a viewer through a link (the invitation flows have their own tests).
  reader = await person('Rita')
  const link = (await (await callApi(author, 'POST', `/api/collections/${collectionId}/links`, { role: 'viewer' })).json()) as {
    url: string
  }
  const token = new URL(link.url).pathname.split('/').pop()!
  expect((await callApi(reader, 'POST', `/api/join/${token}`)).status()).toBe(200)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

test('a shared conversation: another member reads it under "Shared in this collection", cannot post, exports it; unshared, it is gone', async () => {
  const errors = watchErrors(reader)
  stack.anthropic.setScript({ text: 'The launch moved to Thursday [1].', ttftMs: 50, tokensPerSecond: 200 })
  await open(author, `/collections/${collectionId}/chat`)
  await author.locator('#chat-question:not([disabled])').fill(QUESTION)
  await author.keyboard.press('Enter')
  await author.locator('.msg--answer[aria-busy="false"]').waitFor({ timeout: 30_000 })
  await author.waitForURL(/[?&]c=/)
  const conversationId = new URL(author.url()).searchParams.get('c')!

  // Private until the author shares it.
  await open(reader, `/collections/${collectionId}/chat`)
  await sharedList(reader).getByText('Conversations other members share appear here, read-only.', { exact: true }).waitFor()
  expect((await callApi(reader, 'GET', `/api/conversations/${conversationId}`)).status()).toBe(404)

  await author.getByRole('button', { name: 'Share: private', exact: true }).click()
  await author.getByRole('switch', { name: 'Share with collection members (read-only)', exact: true }).check()
  await author.getByRole('button', { name: 'Shared with the collection', exact: true }).waitFor()
  await author.locator('.conv--active .conv__badge').getByText('Shared', { exact: true }).waitFor()
  await screenshot(author, 'chat-share-toggle')
  await author.keyboard.press('Escape')
  await author.getByRole('switch', { name: 'Share with collection members (read-only)', exact: true }).waitFor({ state: 'detached' })

  // The other member, whose chat page was open all along: coming back to it shows the
  // conversation, listed with its author (no reload); it opens read-only.
  await comeBack(reader)
  await sharedLink(reader).waitFor()
  expect(await sharedLink(reader).locator('.conv__meta').textContent()).toContain('Olive')
  await sharedLink(reader).click()
  await reader.waitForURL((url) => url.searchParams.get('c') === conversationId)
  await reader.getByTestId('read-only-note').getByText('Shared by Olive — read-only', { exact: true }).waitFor()
  await reader.locator('.msg--answer[aria-busy="false"]').waitFor()
  expect(await reader.locator('.msg--answer .md').last().textContent()).toContain('Thursday')
  expect(await reader.getByRole('heading', { name: QUESTION, exact: true }).count()).toBe(1)
  expect(await reader.locator('#chat-question').count()).toBe(0)
  expect(await reader.getByRole('button', { name: /^Share(: private|d with the collection)$/ }).count()).toBe(0)
  await screenshot(reader, 'chat-shared-read-only')

  // The api refuses a question from anyone but the author.
  const post = await callApi(reader, 'POST', `/api/conversations/${conversationId}/messages`, { content: 'And the migration?' })
  expect(post.status()).toBe(403)
  expect((await post.json()).code).toBe('author_only')

  // Export works for the reader.
  await reader.getByRole('button', { name: 'Export', exact: true }).click()
  const [download] = await Promise.all([reader.waitForEvent('download'), reader.getByRole('link', { name: /^Markdown/ }).click()])
  const markdown = readFileSync((await download.path())!, 'utf8')
  expect(markdown).toContain(QUESTION)
  expect(markdown).toContain('Thursday')

  // Made private again while the reader has it open: coming back to the page, it is
  // gone from their list and the open view says it cannot be opened; the link is a 404.
  await author.getByRole('button', { name: 'Shared with the collection', exact: true }).click()
  await author.getByRole('switch', { name: 'Share with collection members (read-only)', exact: true }).uncheck()
  await author.getByRole('button', { name: 'Share: private', exact: true }).waitFor()
  await comeBack(reader)
  await sharedLink(reader).waitFor({ state: 'detached' })
  await reader.getByRole('heading', { name: 'This conversation could not be opened', exact: true }).waitFor()
  await open(reader, `/collections/${collectionId}/chat?c=${conversationId}`)
  await reader.getByRole('heading', { name: 'This conversation could not be opened', exact: true }).waitFor()
  expect(errors.filter((e) => !/404/.test(e))).toEqual([])
}, 120_000)
