// Sharing in the browser: the owner invites a colleague by email; the
// colleague opens the emailed link, signs up, joins as a viewer, searches and
// chats but sees no upload controls (and no note-making on a video); promoted to editor they upload; removed,
// a reload gives the 404 page. A link invitation is joined by a third person.
// An API key made in the account page works from a script until revoked.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { linkIn } from '../testing/smtpServer.ts'
import { createCollection, launchBrowser, newContext, open, PASSWORD, screenshot, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'

const VTT = (line: string) => `WEBVTT\n\n00:00:01.000 --> 00:00:06.000\n${line}\n`

let stack: Stack
let browser: Browser
let owner: Page
let guest: Page
const contexts: BrowserContext[] = []
let collectionId: string
const guestEmail = uniqueEmail('guest')

async function person(): Promise<Page> {
  const context = await newContext(browser, stack.url)
  contexts.push(context)
  return context.newPage()
}

async function openShare(page: Page): Promise<void> {
  await open(page, `/collections/${collectionId}`)
  await page.getByRole('button', { name: 'Share', exact: true }).click()
  await page.getByRole('heading', { name: /^Share/ }).waitFor()
}

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
  owner = await person()
  await signUp(owner, uniqueEmail('owner'), 'Olive')
  collectionId = await createCollection(owner, 'Team meetings')
  await owner.getByTestId('file-input').setInputFiles({
    name: 'standup.vtt',
    mimeType: 'text/vtt',
    buffer: Buffer.from(VTT('We agreed to move the launch to Thursday because of the database migration.')),
  })
  await owner.locator('.video-row[data-status="ready"]').waitFor({ timeout: 60_000 })
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

test('an emailed invitation: the invitee signs up through the link and lands in the collection as a viewer who can search and chat but not upload', async () => {
  const errors = watchErrors(owner)
  await openShare(owner)
  await owner.getByLabel('Add people by email').fill(guestEmail)
  await owner.getByRole('button', { name: 'Send invitations', exact: true }).click()
  await owner.locator(`[data-testid="pending-invite"][data-email="${guestEmail}"]`).waitFor()
  await screenshot(owner, 'share-dialog')
  const mail = await stack.smtp.waitFor((m) => m.to.includes(guestEmail))
  const link = linkIn(mail, `${stack.url}/invite/`)

  guest = await person()
  await open(guest, new URL(link).pathname)
  await guest.getByText('Team meetings').waitFor()
  await guest.getByRole('link', { name: 'Create an account', exact: true }).click()
  await guest.waitForURL(/\/signup\?/)
  await guest.waitForSelector('html[data-hydrated]', { state: 'attached' })
  expect(await guest.getByLabel('Email').inputValue()).toBe(guestEmail)
  await guest.getByLabel('Name').fill('Gus')
  await guest.getByLabel('Password').fill(PASSWORD)
  await guest.getByRole('button', { name: 'Create account', exact: true }).click()
  await guest.waitForURL(/\/invite\//)
  await guest.waitForSelector('html[data-hydrated]', { state: 'attached' })
  await guest.getByRole('button', { name: 'Join the collection', exact: true }).click()
  await guest.waitForURL((url) => url.pathname === `/collections/${collectionId}`)
  await guest.waitForSelector('html[data-hydrated]', { state: 'attached' })

  // A viewer: no upload controls, no rename; the list says whose it is.
  await guest.locator('.video-row[data-status="ready"]').waitFor()
  expect(await guest.getByTestId('file-input').count()).toBe(0)
  expect(await guest.getByRole('button', { name: 'Edit', exact: true }).count()).toBe(0)
  await guest.getByRole('button', { name: /^People/ }).click()
  expect(await guest.locator('[data-testid="member"] select').count()).toBe(0)
  await guest.getByRole('button', { name: 'Close', exact: true }).click()

  // The video's notes are there to read, with nothing to create or change.
  await open(guest, (await guest.locator('.video-row a[href^="/videos/"]').first().getAttribute('href'))!)
  await guest.getByText('No notes have been made from this video.', { exact: true }).waitFor()
  expect(await guest.getByRole('heading', { name: 'Create from this video', exact: true }).count()).toBe(0)

  // Search and chat work.
  await open(guest, `/collections/${collectionId}?q=Thursday`)
  await guest.locator('.hit__snippet').first().waitFor()
  stack.anthropic.setScript({ text: 'The launch moved to Thursday [1].', ttftMs: 50, tokensPerSecond: 200 })
  await open(guest, `/collections/${collectionId}/chat`)
  await guest.locator('#chat-question:not([disabled])').fill('When is the launch?')
  await guest.keyboard.press('Enter')
  await guest.locator('.msg--answer[aria-busy="false"]').waitFor({ timeout: 30_000 })
  expect(await guest.locator('.msg--answer .md').last().textContent()).toContain('Thursday')

  await open(guest, '/collections')
  expect(await guest.getByTestId('shared-collections').textContent()).toContain('Olive')
  expect(errors).toEqual([])
}, 120_000)

test('promoted to editor the guest uploads; removed, their open page says access is lost, their streaming answer ends, and a reload is the 404 page', async () => {
  await openShare(owner)
  const row = owner.locator(`[data-testid="member"][data-email="${guestEmail}"]`)
  await row.locator('select').selectOption('editor')
  await owner.locator(`[data-testid="activity"]`).filter({ hasText: 'an editor' }).waitFor()

  await open(guest, `/collections/${collectionId}`)
  await guest
    .getByTestId('file-input')
    .setInputFiles({ name: 'retro.vtt', mimeType: 'text/vtt', buffer: Buffer.from(VTT('The retro found the flaky tests.')) })
  await guest.locator('.video-row').nth(1).waitFor()
  await owner.reload()
  expect(await owner.locator('.video-row').count()).toBe(2)

  // Removed while their collection page is open and an answer is being written in another tab.
  const connected = guest.waitForResponse((r) => new URL(r.url()).pathname === `/api/collections/${collectionId}/events`)
  await open(guest, `/collections/${collectionId}`)
  const stream = await connected
  expect(stream.status()).toBe(200)
  const chat = await guest.context().newPage()
  stack.anthropic.setScript({ text: `The launch moved to Thursday [1]. ${'More detail follows here. '.repeat(200)}`, tokensPerSecond: 20 })
  await open(chat, `/collections/${collectionId}/chat`)
  await chat.locator('#chat-question:not([disabled])').fill('Tell me everything about the launch.')
  await chat.keyboard.press('Enter')
  await chat.locator('.msg--answer[aria-busy="true"] .md').filter({ hasText: 'Thursday' }).waitFor({ timeout: 30_000 })

  await openShare(owner)
  await owner.getByRole('button', { name: `Remove ${guestEmail}`, exact: true }).click()
  await row.waitFor({ state: 'detached' })
  // The server sends `revoked` and ends the open stream; the page closes it (no reconnect) and says so.
  // (Whether the browser sees the server's end or its own close first is a race, so it is not asserted
  // here; server/auth/streamRevocation.test.ts asserts the stream ends.)
  await guest.getByTestId('access-lost').waitFor()
  // The answer stops with the reason rather than reconnecting.
  const ended = chat.locator('.msg--answer [role="alert"]').filter({ hasText: 'Access ended' })
  await ended.waitFor()
  expect(await ended.textContent()).toContain('You no longer have access to this collection.')
  // Asking again would be refused too, so the ended answer offers no "Try again".
  expect(await ended.getByRole('button', { name: 'Try again' }).count()).toBe(0)
  await chat.close()
  const reload = await guest.reload()
  expect(reload?.status()).toBe(404)
  await guest.getByRole('heading', { name: /not found/i }).waitFor()
}, 90_000)

test('a link invitation: a third person opens it signed in and joins with its role', async () => {
  await openShare(owner)
  await owner.getByLabel('Anyone with the link joins as').selectOption('viewer')
  await owner.getByRole('button', { name: 'Copy link', exact: true }).click()
  const url = (await owner.getByTestId('invite-link-url').textContent())!
  expect(url).toContain('/invite/')

  const third = await person()
  await signUp(third, uniqueEmail('third'), 'Thea')
  await open(third, new URL(url).pathname)
  await third.getByRole('button', { name: 'Join the collection', exact: true }).click()
  await third.waitForURL((u) => u.pathname === `/collections/${collectionId}`)
  await third.waitForSelector('html[data-hydrated]', { state: 'attached' })
  await third.locator('.video-row').first().waitFor()
  expect(await third.getByTestId('file-input').count()).toBe(0)

  // After the owner revokes it, the link says so.
  await openShare(owner)
  await owner.getByTestId('invite-link').getByRole('button', { name: 'Revoke', exact: true }).click()
  await owner.getByTestId('invite-link').waitFor({ state: 'detached' })
  await open(third, new URL(url).pathname)
  expect(await third.getByTestId('invite-gone').textContent()).toContain('withdrawn')
}, 90_000)

test('an API key made in the account page works with fetch and stops once revoked', async () => {
  await open(owner, '/account/api-keys')
  await owner.getByLabel('Name').fill('Nightly export')
  await owner.getByLabel('Scope').selectOption('read')
  await owner.getByRole('button', { name: 'Create key', exact: true }).click()
  const secret = (await owner.getByTestId('api-key-secret').textContent())!.trim()
  expect(secret).toMatch(/^kt_/)
  await screenshot(owner, 'api-keys')

  const list = () => fetch(`${stack.url}/api/collections`, { headers: { authorization: `Bearer ${secret}` } })
  const res = await list()
  expect(res.status).toBe(200)
  expect((await res.json()).map((c: { id: string }) => c.id)).toContain(collectionId)
  // Read-only: it cannot create.
  expect(
    (
      await fetch(`${stack.url}/api/collections`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: '{"name":"x"}',
      })
    ).status,
  ).toBe(403)

  await owner.reload()
  await owner.getByRole('button', { name: 'Revoke Nightly export', exact: true }).click()
  await owner.getByTestId('api-key').waitFor({ state: 'detached' })
  expect((await list()).status).toBe(401)
}, 60_000)
