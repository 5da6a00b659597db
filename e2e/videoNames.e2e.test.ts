// Videos have names: clean default titles from file names, renamed inline in
// the collection's list and on the transcript page, and the new name is what
// a new answer's sources show.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, newContext, open, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'
import { type TalkAndFilm, uploadTalkAndFilm } from './talkAndFilm.ts'
import { transcriptPath } from '../testing/datasets.ts'

const QA = transcriptPath('missing-semester__qa.sbv')

let stack: Stack
let browser: Browser
let page: Page
let errors: string[]
let collectionId: string
let videos: TalkAndFilm['videos']

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
  page = await (await newContext(browser, stack.url)).newPage()
  errors = watchErrors(page)
  await signUp(page, uniqueEmail('names'))
  ;({ collectionId, videos } = await uploadTalkAndFilm(page, 'Talks and films'))
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

test('videos get clean default names, are renamed inline, and the new name reaches the chat', async () => {
  // Default titles from the file names: no archive prefix, numbering, tags or extensions.
  expect(videos.talk.title).toBe('How to open source your code properly')
  expect(videos.film.title).toBe('Sintel')

  // Renamed in the collection's list (Escape cancels, Enter saves)…
  await open(page, `/collections/${collectionId}`)
  const row = page.locator(`.video-row[data-video-id="${videos.film.id}"]`)
  await row.getByRole('button', { name: 'Rename “Sintel”' }).click()
  await row.getByLabel('Video title').fill('Not this')
  await page.keyboard.press('Escape')
  await row.getByRole('link', { name: 'Sintel' }).waitFor()
  await row.getByRole('button', { name: 'Rename “Sintel”' }).click()
  await row.getByLabel('Video title').fill('Sintel (Blender open movie)')
  await page.keyboard.press('Enter')
  await row.getByRole('link', { name: 'Sintel (Blender open movie)' }).waitFor()

  // …and on the transcript page, where it stays after a reload.
  await open(page, `/videos/${videos.talk.id}`)
  await page.getByRole('button', { name: `Rename “${videos.talk.title}”` }).click()
  await page.getByLabel('Video title').fill('Open-sourcing your code, properly')
  await page.keyboard.press('Enter')
  await page.locator('h1', { hasText: 'Open-sourcing your code, properly' }).waitFor()
  await page.reload()
  await page.locator('h1', { hasText: 'Open-sourcing your code, properly' }).waitFor()

  // A new answer's sources carry the new name.
  await open(page, `/collections/${collectionId}/chat`)
  stack.anthropic.setScript({ text: 'Choose a license [1].', tokensPerSecond: 200 })
  await page.locator('#chat-question').fill('Which open source license should I use for my code?')
  await page.keyboard.press('Enter')
  await page.locator('.msg--answer[aria-busy="false"]').waitFor({ timeout: 30_000 })
  const titles = await page.locator('#chat-panel .source__title').allTextContents()
  expect(titles).toContain('Open-sourcing your code, properly')
  expect(titles).not.toContain(videos.talk.title)

  // A blank title is refused.
  const blank = await page.evaluate(
    async (vid) =>
      (
        await fetch(`/api/videos/${vid}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ title: '   ' }),
        })
      ).status,
    videos.film.id,
  )
  expect(blank).toBe(400)
  // So is a change of nothing (the same route corrects the language).
  const empty = await page.evaluate(
    async (vid) =>
      (await fetch(`/api/videos/${vid}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
    videos.film.id,
  )
  expect(empty).toBe(400)
  expect(errors).toEqual([])
}, 60_000)

test('a title typed before an upload names that one file, and the field clears', async () => {
  await open(page, `/collections/${collectionId}`)
  await page.getByLabel('Title', { exact: true }).fill('  Missing Semester: questions and answers ')
  await page.getByTestId('file-input').setInputFiles(QA)
  await page.locator('.video-row', { hasText: 'Missing Semester: questions and answers' }).waitFor({ timeout: 60_000 })
  expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('')
  const titles = await page.evaluate(
    async (cid) => ((await (await fetch(`/api/collections/${cid}/videos`)).json()) as { title: string }[]).map((v) => v.title),
    collectionId,
  )
  expect(titles).toContain('Missing Semester: questions and answers')
  expect(errors).toEqual([])
}, 90_000)

test('moving from one transcript to another inside the app shows the second one’s lines, and back the first’s', async () => {
  await open(page, `/videos/${videos.talk.id}`)
  // The whole talk is loaded once the page is interactive (the server sent a window of it).
  await page.locator('.line', { hasText: 'Karina Haupt' }).first().waitFor()
  // A link followed by the app's router: the same page component gets another video.
  await page.evaluate((vid) => {
    const a = document.createElement('a')
    a.href = `/videos/${vid}`
    a.textContent = 'to the film'
    a.id = 'to-film'
    document.body.append(a)
  }, videos.film.id)
  await page.locator('#to-film').click()
  // The URL changes once the router's move to the film's page is done (its video and transcript
  // loaded): in one CI run on a busy 2-core box that took longer than the default 15 s; `open`'s bound.
  await page.waitForURL(`**/videos/${videos.film.id}`, { timeout: 60_000 })
  await page.locator('.line', { hasText: 'This blade has a dark past.' }).waitFor({ timeout: 60_000 })
  expect(await page.locator('.line', { hasText: 'Karina Haupt' }).count()).toBe(0)
  await page.goBack()
  await page.locator('.line', { hasText: 'Karina Haupt' }).first().waitFor()
  expect(await page.locator('.line', { hasText: 'This blade has a dark past.' }).count()).toBe(0)
  expect(errors).toEqual([])
}, 60_000)
