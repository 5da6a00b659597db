// The answer settings popover above the composer: choices are saved with the
// conversation (a new one takes them when the first question creates it),
// reach the model call, survive a reload, and only what the server can do is
// offered.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { createCollection, launchBrowser, newContext, open, screenshot, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'
import { TALK } from './talkAndFilm.ts'

type Saved = { settings: Record<string, unknown>; messages: { role: string; sources: unknown[] }[] }

let stack: Stack
let browser: Browser
let page: Page

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([
    startStack({ ANTHROPIC_MODEL: 'claude-main-1', ANTHROPIC_MODELS: 'claude-small-1' }),
    launchBrowser(),
  ])
  page = await (await newContext(browser, stack.url)).newPage()
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

async function askAndWait(question: string): Promise<void> {
  const before = await page.locator('.msg--answer').count()
  await page.locator('#chat-question').fill(question)
  await page.keyboard.press('Enter')
  await page.locator('.msg--answer[aria-busy="false"]').nth(before).waitFor({ timeout: 30_000 })
}

const saved = (id: string) => page.evaluate(async (cid) => (await (await fetch(`/api/conversations/${cid}`)).json()) as Saved, id)
const lastModelRequest = () => stack.anthropic.requests.at(-1)!.body as { model: string; temperature?: number; messages: unknown }

test('settings chosen in the popover are saved with the conversation and used for its answers', async () => {
  const errors = watchErrors(page)
  await signUp(page, uniqueEmail('settings'))
  const collectionId = await createCollection(page, 'BornHack talks')
  await page.getByTestId('file-input').setInputFiles(TALK)
  await page.locator('.video-row[data-status="ready"]').waitFor({ timeout: 30_000 })
  await open(page, `/collections/${collectionId}/chat`)

  const settings = page.locator('.answer-settings')
  await settings.getByRole('button', { name: 'Answer settings' }).click()
  const form = settings.getByRole('form', { name: 'Answer settings' })
  await form.getByLabel('Passages', { exact: true }).fill('2')
  await page.keyboard.press('Tab')
  await form.getByRole('combobox', { name: 'Model' }).selectOption('claude-small-1')
  await form.getByLabel('Temperature (0–1)').fill('0.4')
  await screenshot(page, 'chat-answer-settings')
  // Escape closes the form and keeps the value still being typed.
  await page.keyboard.press('Escape')
  await form.waitFor({ state: 'detached' })
  expect(await settings.getByTestId('answer-settings-summary').textContent()).toBe(
    'From the videos · 2 passages · claude-small-1 · temperature 0.4',
  )

  // The first question creates the conversation with the settings chosen before it.
  stack.anthropic.setScript({ text: 'Pick a license and put it in a LICENSE file [1].', tokensPerSecond: 200 })
  await askAndWait('Which license should I pick for my code?')
  await page.waitForURL(/\?c=[0-9a-f-]{36}$/)
  const id = new URL(page.url()).searchParams.get('c')!
  const first = await saved(id)
  expect(first.settings).toEqual({ useRag: true, maxContextChunks: 2, minSimilarity: null, temperature: 0.4, model: 'claude-small-1' })
  expect(first.messages.find((m) => m.role === 'assistant')!.sources.length).toBe(2)
  expect(lastModelRequest()).toMatchObject({ model: 'claude-small-1', temperature: 0.4 })

  // After a reload the line says the same; switching to the model alone is saved at once and used.
  await page.reload()
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
  await page.locator('.msg--answer').first().waitFor()
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="answer-settings-summary"]')?.textContent?.includes('claude-small-1'),
  )
  await settings.getByRole('button', { name: 'Answer settings' }).click()
  await form.getByLabel('The model alone (no passages, no citations)').check()
  expect(await form.getByLabel('Passages', { exact: true }).isDisabled()).toBe(true)
  await page.waitForFunction(
    async (cid) => ((await (await fetch(`/api/conversations/${cid}`)).json()) as Saved).settings.useRag === false,
    id,
  )
  // A click outside closes the popover.
  await page.locator('#chat-title').click()
  await form.waitFor({ state: 'detached' })
  stack.anthropic.setScript({ text: 'A permissive license such as MIT is a common choice.', tokensPerSecond: 200 })
  await askAndWait('And what is a common permissive one?')
  expect(JSON.stringify(lastModelRequest().messages)).not.toContain('<sources')
  expect((await saved(id)).messages.filter((m) => m.role === 'assistant').at(-1)!.sources).toEqual([])
  expect(errors).toEqual([])
}, 90_000)
