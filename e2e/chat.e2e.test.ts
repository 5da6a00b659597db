// The end of the main path: chat with a collection whose video is ready. The
// answer streams in token by token from the Anthropic emulator, cites its
// passages with chips that show the cited moment beside the answer (and from
// there the transcript at the cited second), and never turns the model's text
// into live markup. Also: the Studio writes a summary. Reloading and stopping
// mid-answer: chatMidAnswer.e2e.test.ts.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createCollection, launchBrowser, newContext, open, screenshot, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'
import { transcriptPath } from '../testing/datasets.ts'
import { rendered, sampleUntilDone } from './answerSnapshot.ts'

const VTT = transcriptPath('talkpython__534-diskcache-your-secret-python-perf-weapon.vtt')

const ANSWER = [
  'DiskCache keeps its cache in **SQLite** files on disk, so the cache survives restarts and needs no extra server such as Redis [1].',
  'It is fast because reads come straight from the SSD and the operating system keeps hot pages in memory [2].',
  '',
  '- Memoize slow functions with its decorator [1].',
  '- Give it a size limit and let it evict old entries on its own [2].',
].join('\n')

const MALICIOUS = [
  'Here is a picture <img src=x onerror=window.__xss=1> of the cache [1].',
  '',
  'And a [harmless looking link](javascript:window.__xss=2) to click.',
  '',
  '```python',
  'from diskcache import Cache',
  'cache = Cache("/tmp/cache")',
  '```',
].join('\n')

const SUMMARY = [
  '## DiskCache in one page',
  '',
  'DiskCache is a cache for Python built on **SQLite**: it lives in files on disk, survives restarts and needs no server [1].',
  '',
  '### Key points',
  '',
  '- Reads are fast because the SSD and the page cache do the work [2].',
  '- A decorator memoizes slow functions; size limits evict old entries [1].',
  '- Good fits: notebooks, web apps on one machine, and LLM response caching [2].',
].join('\n')

let stack: Stack
let browser: Browser
let context: BrowserContext
let page: Page
let errors: string[]
let collectionId: string
let videoId: string
let firstConversation: string

async function ask(p: Page, question: string): Promise<void> {
  await p.locator('#chat-question').fill(question)
  await p.keyboard.press('Enter')
}

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
  context = await newContext(browser, stack.url)
  page = await context.newPage()
  errors = watchErrors(page)
  await signUp(page, uniqueEmail('chat'))
  collectionId = await createCollection(page, 'Python podcasts', 'Talk Python episodes on performance and tooling.')
  await page.getByTestId('file-input').setInputFiles(VTT)
  const ready = page.locator('.video-row[data-status="ready"]')
  await ready.waitFor({ timeout: 60_000 })
  videoId = (await ready.getAttribute('data-video-id'))!
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

test('ask a question: the answer streams in, cites with chips, and a chip shows the moment, which opens the transcript at that second', async () => {
  // Both ways in lead to the chat: the header link and the collection's button.
  const chatPath = `/collections/${collectionId}/chat`
  expect(await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Chat' }).getAttribute('href')).toBe(chatPath)
  await page.getByRole('link', { name: 'Chat with this collection' }).click()
  await page.waitForURL((url) => url.pathname === chatPath)
  // The video became ready after the collection page loaded; the chat knows.
  await page.locator('#chat-question:not([disabled])[placeholder="Ask about Python podcasts…"]').waitFor()
  // …and the chat leads back to the collection.
  expect(await page.locator('.chat-head__crumb').getAttribute('href')).toBe(`/collections/${collectionId}`)
  // The chat fills the window below the header: no page scroll, no footer.
  expect(await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight)).toBeLessThanOrEqual(0)
  expect(await page.locator('.site-footer').isVisible()).toBe(false)

  stack.anthropic.setScript({ text: ANSWER, ttftMs: 200, tokensPerSecond: 30 })
  await ask(page, 'How does DiskCache store its data, and why is it fast?')
  const samples = await sampleUntilDone(page)
  await page.waitForURL(/\?c=[0-9a-f-]{36}$/)
  firstConversation = new URL(page.url()).searchParams.get('c')!

  // Progressive: several different, growing texts were seen while the answer
  // streamed, each with the Stop button showing, before the final text. (The
  // whole text may also be seen still busy: the last token comes before the
  // citations and done events.)
  const final = samples.at(-1)!
  const whileStreaming = samples.filter((s) => s.busy === 'true' && s.text)
  const lengths = [...new Set(whileStreaming.map((s) => s.text.length))]
  expect(lengths.filter((n) => n < final.text.length).length).toBeGreaterThanOrEqual(3)
  expect(lengths).toEqual([...lengths].sort((a, b) => a - b))
  expect(whileStreaming.every((s) => s.stop)).toBe(true)
  expect(Math.max(...lengths)).toBeLessThanOrEqual(final.text.length)
  expect(final.stop).toBe(false)
  expect(final.text).toBe(rendered(ANSWER.replace(/\*\*|^- /gm, '')).replace(/ - /g, ' '))

  // Citation chips, numbered like the sources panel (open beside the chat at this width).
  const answer = page.locator('.msg--answer').last()
  const chips = answer.locator('button.cite-chip')
  expect(await chips.allTextContents()).toEqual(['1', '2', '1', '2'])
  const panel = page.locator('#chat-panel')
  await panel.locator('.source--cited').nth(1).waitFor()
  expect(await panel.locator('.source--cited .source__n').allTextContents()).toEqual(['1', '2'])
  // Hovering a chip shows the passage it stands for.
  await chips.nth(1).hover()
  const popover = page.locator('.cite-popover')
  await popover.waitFor()
  expect(await popover.locator('.cite-popover__n').textContent()).toBe('2')
  expect(await popover.getByRole('link', { name: 'Open transcript at this moment' }).getAttribute('href')).toMatch(
    new RegExp(`^/videos/${videoId}\\?t=\\d+(&until=\\d+)?$`),
  )
  await page.mouse.move(640, 600)
  await popover.waitFor({ state: 'detached' })
  await screenshot(page, 'chat')

  // The chip shows the moment beside the answer; from there the full
  // transcript opens at the cited second, with that line highlighted.
  const chatUrl = page.url()
  await chips.nth(1).click()
  const moment = panel.locator('.moment')
  await moment.locator('.moment__line--cited').first().waitFor()
  expect(page.url()).toBe(chatUrl)
  const fullTranscript = moment.getByRole('link', { name: 'Open full transcript' })
  const sourceHref = (await fullTranscript.getAttribute('href'))!
  const cited = Number(new URL(sourceHref, stack.url).searchParams.get('t'))
  // The link opens at the citation's moment and marks its lines (until = the moment's end).
  expect(sourceHref).toMatch(new RegExp(`^/videos/${videoId}\\?t=${cited}(&until=\\d+)?$`))
  await fullTranscript.click()
  await page.waitForURL((url) => url.pathname === `/videos/${videoId}`)
  expect(Number(new URL(page.url()).searchParams.get('t'))).toBe(cited)
  const line = page.locator('.line[aria-current="true"]')
  await line.waitFor()
  const startMs = Number(await line.getAttribute('data-start-ms'))
  const endMs = Number(await line.getAttribute('data-end-ms'))
  expect(startMs).toBeLessThanOrEqual(cited * 1000 + 999)
  expect(endMs).toBeGreaterThanOrEqual(cited * 1000)
  expect(await line.isVisible()).toBe(true)
  expect(errors).toEqual([])
}, 60_000)

test('the Studio writes a summary of the conversation', async () => {
  await open(page, `/collections/${collectionId}/chat?c=${firstConversation}`)
  await page.locator('.msg--answer[aria-busy="false"]').waitFor()
  await page.locator('.chat-head').getByRole('button', { name: 'Studio' }).click()
  stack.anthropic.setScript({ text: SUMMARY, tokensPerSecond: 200 })
  await page.locator('.kind', { hasText: 'Summary' }).click()
  await page.locator('#artifact-title').waitFor()
  const content = page.locator('.artifact__content')
  expect(await content.locator('h2').textContent()).toBe('DiskCache in one page')
  expect(await content.locator('li').count()).toBe(3)
  expect(await content.locator('button.cite-chip').count()).toBeGreaterThanOrEqual(3)
  await screenshot(page, 'artifact')

  // The transcript viewer writes notes from that one video the same way.
  await open(page, `/videos/${videoId}`)
  const notes = page.getByRole('region', { name: 'Notes' })
  stack.anthropic.setScript({ text: SUMMARY.replace('DiskCache in one page', 'This episode in one page'), tokensPerSecond: 200 })
  await notes.locator('.kind', { hasText: 'Outline' }).click()
  await notes.locator('#artifact-title').waitFor()
  expect(await notes.locator('.artifact__content h2').textContent()).toBe('This episode in one page')
  expect(JSON.stringify(stack.anthropic.requests.at(-1)!.body)).toContain('DiskCache')
  await page.evaluate(() => document.querySelector('.video-layout__side')!.scrollTo({ top: 10_000 }))
  await screenshot(page, 'transcript-notes')
  await notes.getByRole('button', { name: 'Back to all notes' }).click()
  expect(await notes.locator('.artifact-card__kind').allTextContents()).toEqual(['Outline'])
  expect(errors).toEqual([])
  // Two generations and the heaviest page (the whole transcript, hydrated):
  // ~18 s on a box at load ~25, where 30 s was hit.
}, 60_000)

test("an edit begun in one conversation's Studio does not follow you to the next conversation", async () => {
  await open(page, `/collections/${collectionId}/chat?c=${firstConversation}`)
  await page.locator('.msg--answer[aria-busy="false"]').waitFor()
  await page.locator('.chat-head').getByRole('button', { name: 'Studio' }).click()
  await page.locator('.artifact-card', { hasText: 'Summary' }).first().click()
  await page.locator('.artifact').getByRole('button', { name: 'Edit' }).click()
  await page.locator('#artifact-editor').fill('A half-written edit of the first summary')

  // Another conversation in the same page (no reload: the panel stays mounted), and a summary there.
  await page.getByRole('link', { name: 'New conversation', exact: true }).click()
  stack.anthropic.setScript({ text: ANSWER })
  await ask(page, 'Why is DiskCache fast?')
  await page.locator('.msg--answer[aria-busy="false"]').waitFor()
  stack.anthropic.setScript({ text: SUMMARY.replace('DiskCache in one page', 'Why DiskCache is fast'), tokensPerSecond: 200 })
  await page.locator('.kind', { hasText: 'Summary' }).click()
  await page.locator('.artifact__content h2', { hasText: 'Why DiskCache is fast' }).waitFor()
  // The new summary is shown to read, not opened in an editor holding the other one's text.
  expect(await page.locator('#artifact-editor').count()).toBe(0)
  expect(errors).toEqual([])
}, 60_000)

test('on a phone the conversation fits the screen', async () => {
  const phone = await newContext(browser, stack.url, { width: 390, height: 844, storageState: await context.storageState() })
  try {
    const p = await phone.newPage()
    await open(p, `/collections/${collectionId}/chat?c=${firstConversation}`)
    await p.locator('.msg--answer[aria-busy="false"] .cite-chip').first().waitFor()
    expect(await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0)
    expect(await p.evaluate(() => document.documentElement.scrollHeight - window.innerHeight)).toBeLessThanOrEqual(0)
    expect(await p.locator('#chat-question').isVisible()).toBe(true)
    await screenshot(p, 'chat-mobile')
  } finally {
    await phone.close()
  }
}, 30_000)

test('markup, script links and code in an answer render as inert text and a code block', async () => {
  await open(page, `/collections/${collectionId}/chat`)
  stack.anthropic.setScript({ text: MALICIOUS })
  await ask(page, 'Show me how to open a cache.')
  const answer = page.locator('.msg--answer[aria-busy="false"]')
  await answer.waitFor()
  const md = answer.locator('.md')
  expect(await md.textContent()).toContain('<img src=x onerror=window.__xss=1>')
  expect(await md.locator('img').count()).toBe(0)
  // The javascript: link is plain text, not a link.
  expect(await md.getByText('harmless looking link').count()).toBe(1)
  expect(await md.locator('a').count()).toBe(0)
  expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0)
  await md.getByText('harmless looking link').click()
  // The code block is a <pre>, highlighted once the grammar has loaded.
  const pre = md.locator('.md-code pre')
  expect(await pre.textContent()).toContain('from diskcache import Cache')
  expect(await md.locator('.md-code__lang').textContent()).toBe('python')
  await md.locator('.md-code pre.shiki').waitFor()
  expect(await md.locator('.md-code pre.shiki span[style]').count()).toBeGreaterThan(3)
  expect(await pre.textContent()).toContain('cache = Cache("/tmp/cache")')
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
  expect(errors).toEqual([])
}, 30_000)
