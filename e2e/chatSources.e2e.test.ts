// Choosing the sources of a conversation, and reading a cited moment beside the
// answer: ticked videos are persisted with the conversation and are the only
// ones answers draw on; "Ask about this video" starts a conversation about that
// one video; a citation opens the transcript around the moment in the side
// panel without leaving the chat.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, newContext, open, screenshot, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'
import { type TalkAndFilm, uploadTalkAndFilm } from './talkAndFilm.ts'

let stack: Stack
let browser: Browser
let page: Page
let errors: string[]
let collectionId: string
let videos: TalkAndFilm['videos']

type ConversationBody = { sourceVideoIds: string[]; messages: { role: string; sources: { videoId: string }[] }[] }
const conversation = (p: Page, id: string) =>
  p.evaluate(async (cid) => (await (await fetch(`/api/conversations/${cid}`)).json()) as ConversationBody, id)

async function askAndWait(p: Page, question: string): Promise<void> {
  const before = await p.locator('.msg--answer').count()
  await p.locator('#chat-question').fill(question)
  await p.keyboard.press('Enter')
  await p.locator('.msg--answer[aria-busy="false"]').nth(before).waitFor({ timeout: 30_000 })
}

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
  page = await (await newContext(browser, stack.url)).newPage()
  errors = watchErrors(page)
  await signUp(page, uniqueEmail('sources'))
  ;({ collectionId, videos } = await uploadTalkAndFilm(page, 'Talks and films'))
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

test('ticked sources are the only ones an answer draws on, and stay with the conversation', async () => {
  await open(page, `/collections/${collectionId}/chat`)
  const picker = page.locator('.source-picker')
  expect(await picker.locator('.source-chip').allTextContents()).toEqual(['All videos (2)'])
  await picker.getByRole('button', { name: 'Choose sources' }).click()
  await picker.getByRole('checkbox', { name: videos.film.title }).check()
  await screenshot(page, 'chat-sources')
  await page.keyboard.press('Escape')
  await picker.locator('fieldset').waitFor({ state: 'detached' })
  expect(await picker.locator('.source-chip__title').allTextContents()).toEqual([videos.film.title])

  // A question about the talk finds nothing of it: only the film is searched.
  stack.anthropic.setScript({ text: 'The film does not talk about licenses [1].', tokensPerSecond: 200 })
  await askAndWait(page, 'Which open source license should I choose for my code?')
  await page.waitForURL(/\?c=[0-9a-f-]{36}$/)
  const id = new URL(page.url()).searchParams.get('c')!
  const saved = await conversation(page, id)
  expect(saved.sourceVideoIds).toEqual([videos.film.id])
  const sources = saved.messages.find((m) => m.role === 'assistant')!.sources
  expect(sources.length).toBeGreaterThan(0)
  expect(new Set(sources.map((s) => s.videoId))).toEqual(new Set([videos.film.id]))

  // Persisted: after a reload the chips say the same; widening to all is saved too.
  await page.reload()
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
  await page.locator('.msg--answer').first().waitFor()
  expect(await picker.locator('.source-chip__title').allTextContents()).toEqual([videos.film.title])
  await picker.getByRole('button', { name: `Stop using “${videos.film.title}”` }).click()
  await picker.locator('.source-chip--all').waitFor()
  await page.waitForFunction(
    async (cid) => ((await (await fetch(`/api/conversations/${cid}`)).json()) as ConversationBody).sourceVideoIds.length === 0,
    id,
  )
  expect(errors).toEqual([])
}, 60_000)

test('another collection’s video cannot be a source', async () => {
  const other = await page.evaluate(async () => {
    const r = await fetch('/api/collections', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Elsewhere' }),
    })
    return ((await r.json()) as { id: string }).id
  })
  const status = await page.evaluate(
    async ([cid, vid]) =>
      (
        await fetch('/api/conversations', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ collectionId: cid, videoIds: [vid] }),
        })
      ).status,
    [other, videos.film.id] as const,
  )
  expect(status).toBe(400)
})

test('"Ask about this video" opens a conversation about that video only', async () => {
  await open(page, `/videos/${videos.talk.id}`)
  await page.getByRole('link', { name: 'Ask about this video' }).click()
  await page.waitForURL((url) => url.pathname === `/collections/${collectionId}/chat` && url.searchParams.get('video') === videos.talk.id)
  const picker = page.locator('.source-picker')
  await picker.locator('.source-chip__title', { hasText: videos.talk.title }).waitFor()
  stack.anthropic.setScript({ text: 'Put a LICENSE file in the repository [1] and say so in the README [2].', tokensPerSecond: 200 })
  await askAndWait(page, 'What does the speaker say about licenses?')
  await page.waitForURL(/\?c=[0-9a-f-]{36}$/)
  // The first question stays on screen once the new conversation is in the URL.
  expect(await page.locator('.msg--user').allTextContents()).toEqual(['What does the speaker say about licenses?'])
  const saved = await conversation(page, new URL(page.url()).searchParams.get('c')!)
  expect(saved.sourceVideoIds).toEqual([videos.talk.id])
  expect(new Set(saved.messages.find((m) => m.role === 'assistant')!.sources.map((s) => s.videoId))).toEqual(new Set([videos.talk.id]))
  expect(errors).toEqual([])
}, 60_000)

test('a citation opens the cited moment beside the answer, without leaving the chat', async () => {
  const chatUrl = page.url()
  const answer = page.locator('.msg--answer').last()
  await answer.locator('button.cite-chip').nth(1).click()
  const moment = page.locator('#chat-panel .moment')
  await moment.waitFor()
  expect(page.url()).toBe(chatUrl)
  expect(await moment.locator('.moment__title').textContent()).toContain(videos.talk.title)
  // The cited lines are marked, with transcript before or after them for context.
  const cited = moment.locator('.moment__line--cited')
  await cited.first().waitFor()
  expect(await cited.first().isVisible()).toBe(true)
  expect(await moment.locator('.moment__line').count()).toBeGreaterThan(await cited.count())
  const citedText = (await cited.allTextContents()).join(' ')
  expect(citedText.length).toBeGreaterThan(10)
  // The highlighted lines are the ones the full transcript opens at.
  const href = (await moment.getByRole('link', { name: 'Open full transcript' }).getAttribute('href'))!
  expect(href).toMatch(new RegExp(`^/videos/${videos.talk.id}\\?t=\\d+(&until=\\d+)?$`))
  const t = Number(new URL(href, stack.url).searchParams.get('t'))
  expect(Number(await cited.first().getAttribute('data-start-ms'))).toBeLessThanOrEqual(t * 1000 + 999)
  // The popover the pointer left on the chip goes once the pointer moves on.
  await page.mouse.move(640, 600)
  await page.locator('.cite-popover').waitFor({ state: 'detached' })
  await screenshot(page, 'chat-citation-panel')

  // Back to the list of sources, and the first citation opens its own moment.
  await moment.getByRole('button', { name: '← All sources' }).click()
  await page.locator('#chat-panel .source-list').first().waitFor()
  await answer.locator('button.cite-chip').first().click()
  await page.locator('#chat-panel .moment .source__n', { hasText: '1' }).waitFor()
  expect(errors).toEqual([])
}, 30_000)
