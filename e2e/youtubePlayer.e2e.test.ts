// The YouTube player: a citation of a video that is on YouTube opens the cited
// moment beside the chat with the player at that second, and another citation
// moves it; the transcript page, reached by a click from the collection (a
// client-side navigation, so under the first page's CSP), plays it and seeks it
// to a clicked line. The video is added through the YouTube form from the fake YouTube
// (testing/youtube), serving a real talk's captions; the player's own requests
// (the IFrame API script and the embedded frame) are answered in the browser by
// a stand-in that logs what the page asked of it, since youtube.com is not
// reachable here.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { parseTranscript } from '../server/videos/transcripts/parseTranscript.ts'
import { FIXTURE_VIDEO_ID, type FakeYoutube, startFakeYoutube } from '../testing/youtube/startFakeYoutube.ts'
import { createCollection, launchBrowser, newContext, open, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'
import { TALK } from './talkAndFilm.ts'
import { playerCalls, routeYoutubePlayer } from './youtubePlayerStandIn.ts'

let stack: Stack
let youtube: FakeYoutube
let browser: Browser
let context: BrowserContext
let page: Page
let errors: string[]
let embeds: URL[]
let collectionId: string

/** The talk's captions as YouTube serves them (srv3), so the video has an hour of lines to cite. */
function talkAsSrv3(): string {
  const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const lines = parseTranscript('srt', readFileSync(TALK, 'utf8'))
    .filter((s) => s.startMs !== null)
    .map((s) => `<p t="${s.startMs}" d="${Math.max(1, (s.endMs ?? s.startMs!) - s.startMs!)}">${xml(s.text)}</p>`)
  return `<?xml version="1.0" encoding="utf-8" ?><timedtext format="3">\n<body>\n${lines.join('\n')}\n</body>\n</timedtext>\n`
}

beforeAll(async () => {
  const captions = talkAsSrv3()
  youtube = startFakeYoutube({
    timedtext: () => new Response(captions, { headers: { 'content-type': 'text/xml; charset=UTF-8' } }),
  })
  ;[stack, browser] = await Promise.all([startStack({ YOUTUBE_BASE_URL: youtube.baseUrl }), launchBrowser()])
  context = await newContext(browser, stack.url)
  ;({ embeds } = await routeYoutubePlayer(context))
  page = await context.newPage()
  errors = watchErrors(page)
  await signUp(page, uniqueEmail('youtube'))
  collectionId = await createCollection(page, 'On YouTube')
  await page.locator('#youtube-url').fill(`https://www.youtube.com/watch?v=${FIXTURE_VIDEO_ID}`)
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await page.locator('.video-row[data-status="ready"]').waitFor({ timeout: 60_000 })
  await open(page, `/collections/${collectionId}/chat`)
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
  youtube?.stop()
})

type Cited = { n: number; momentSeconds: number | null; startSeconds: number | null }
type ConversationBody = { messages: { role: string; citations: Cited[]; sources: Cited[] }[] }

/** The second the answer's citation n points at, read from the stored answer (not from the page). */
async function citedSecond(n: number): Promise<number> {
  const id = new URL(page.url()).searchParams.get('c')!
  const body = (await (await page.request.get(`/api/conversations/${id}`)).json()) as ConversationBody
  const answer = body.messages.findLast((m) => m.role === 'assistant')!
  const c = answer.citations.find((x) => x.n === n) ?? answer.sources.find((x) => x.n === n)!
  return (c.momentSeconds ?? c.startSeconds)!
}

/** Where the page last asked the player to be: the start of the last loaded video, or a later seek. */
async function lastAsked(): Promise<{ videoId: string; seconds: number } | undefined> {
  const last = (await playerCalls(page)).at(-1)
  return last && { videoId: last.videoId, seconds: last.seconds }
}

test('a citation of a YouTube video opens the player at the cited second, and another citation moves it', async () => {
  stack.anthropic.setScript({ text: 'Put a LICENSE file in the repository [1] and say so in the README [2].', tokensPerSecond: 200 })
  await page.locator('#chat-question').fill('What does the speaker say about licenses?')
  await page.keyboard.press('Enter')
  const answer = page.locator('.msg--answer[aria-busy="false"]').first()
  await answer.waitFor({ timeout: 30_000 })
  await page.waitForURL(/\?c=[0-9a-f-]{36}$/)
  const [first, second] = [await citedSecond(1), await citedSecond(2)]
  // Two moments of the same video, apart: otherwise "moves" would prove nothing.
  expect(first).not.toBe(second)

  const moment = page.locator('#chat-panel .moment')
  await answer.locator('button.cite-chip').first().click()
  await moment.locator('.player[data-state="ready"]').waitFor()
  expect(await lastAsked()).toEqual({ videoId: FIXTURE_VIDEO_ID, seconds: first })
  // The frame YouTube was asked for starts there too.
  expect(embeds.at(-1)?.pathname).toBe(`/embed/${FIXTURE_VIDEO_ID}`)
  expect(embeds.at(-1)?.searchParams.get('start')).toBe(String(first))

  await answer.locator('button.cite-chip').nth(1).click()
  await moment.locator('.source__n', { hasText: '2' }).waitFor()
  await moment.locator('.player[data-state="ready"]').waitFor()
  await page.waitForFunction(() => document.querySelectorAll('#chat-panel .player').length === 1)
  expect(await lastAsked()).toEqual({ videoId: FIXTURE_VIDEO_ID, seconds: second })
  // One player on the page: the first one's frame is gone.
  expect(await page.locator('#chat-panel iframe').count()).toBe(1)
  expect(errors).toEqual([])
}, 60_000)

test('the transcript page, opened from the collection without a page load, plays the video and seeks it to a clicked line', async () => {
  await open(page, `/collections/${collectionId}`)
  await page.locator('.video-row a', { hasText: /\S/ }).first().click()
  await page.waitForURL(/\/videos\/[0-9a-f-]{36}$/)
  await page.locator('.player[data-state="ready"]').waitFor()
  expect(await playerCalls(page)).toEqual([{ kind: 'load', videoId: FIXTURE_VIDEO_ID, seconds: 0 }])

  const line = page.locator('.line:not([aria-current])').nth(5)
  const startMs = Number(await line.getAttribute('data-start-ms'))
  await line.locator('button').click()
  await page.waitForURL((url) => url.searchParams.get('t') === String(Math.floor(startMs / 1000)))
  expect((await playerCalls(page)).at(-1)).toEqual({ kind: 'seek', videoId: FIXTURE_VIDEO_ID, seconds: startMs / 1000 })
  expect(errors).toEqual([])
}, 60_000)
