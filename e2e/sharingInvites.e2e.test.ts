// The share dialog and invitations beyond the happy path: the owner hands the
// collection to an editor; an invitation shown in the invitee's app is
// declined; an invitation link opened while signed in to another account
// says which address it is for.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { linkIn } from '../testing/smtpServer.ts'
import { callApi, createCollection, launchBrowser, newContext, open, signUp, uniqueEmail } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'

let stack: Stack
let browser: Browser
let owner: Page
let vera: Page
const veraEmail = uniqueEmail('vera')
const contexts: BrowserContext[] = []
let collectionId: string

async function person(email: string, name: string): Promise<Page> {
  const context = await newContext(browser, stack.url)
  contexts.push(context)
  const page = await context.newPage()
  await signUp(page, email, name)
  return page
}

async function openShare(page: Page): Promise<void> {
  await open(page, `/collections/${collectionId}`)
  await page.getByRole('button', { name: 'Share', exact: true }).click()
  await page.getByRole('heading', { name: /^Share/ }).waitFor()
}

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
  owner = await person(uniqueEmail('olive'), 'Olive')
  collectionId = await createCollection(owner, 'Team meetings')
  // Vera confirms her address: invitations show in the app only for a verified one.
  vera = await person(veraEmail, 'Vera')
  const verification = await stack.smtp.waitFor((m) => m.to.includes(veraEmail))
  await open(vera, linkIn(verification, `${stack.url}/verify-email?token=`))
  await vera.getByRole('heading', { name: 'Email confirmed', exact: true }).waitFor()
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

test('an invitation in the invitee’s app: Decline removes it, gives no access and shows in the owner’s activity', async () => {
  expect((await callApi(owner, 'POST', `/api/collections/${collectionId}/invites`, { emails: [veraEmail], role: 'viewer' })).status()).toBe(
    201,
  )
  await open(vera, '/collections')
  const invitation = vera.getByTestId('invitation').filter({ hasText: 'Team meetings' })
  await invitation.getByRole('button', { name: 'Decline', exact: true }).click()
  await invitation.waitFor({ state: 'detached' })
  expect(await vera.getByTestId('shared-collections').count()).toBe(0)
  expect((await callApi(vera, 'GET', `/api/collections/${collectionId}`)).status()).toBe(404)

  await openShare(owner)
  await owner.getByTestId('activity').filter({ hasText: 'Vera declined the invitation' }).waitFor()
}, 60_000)

test('an emailed invitation opened while signed in to another account says which address it is for', async () => {
  const invitee = uniqueEmail('wanda')
  expect((await callApi(owner, 'POST', `/api/collections/${collectionId}/invites`, { emails: [invitee], role: 'editor' })).status()).toBe(
    201,
  )
  const mail = await stack.smtp.waitFor((m) => m.to.includes(invitee))
  await open(vera, new URL(linkIn(mail, `${stack.url}/invite/`)).pathname)
  const message = vera.getByTestId('invite-wrong-account')
  await message.waitFor()
  expect(await message.textContent()).toContain(`This invitation is for ${invitee}, and you are signed in as ${veraEmail}.`)
  expect(await vera.getByRole('button', { name: 'Join the collection', exact: true }).count()).toBe(0)
  expect(await vera.getByRole('button', { name: 'Log out', exact: true }).count()).toBe(1)
}, 60_000)

test('the owner makes an editor the owner from the share dialog and becomes an editor', async () => {
  const edEmail = uniqueEmail('ed')
  const ed = await person(edEmail, 'Ed')
  const link = (await (await callApi(owner, 'POST', `/api/collections/${collectionId}/links`, { role: 'editor' })).json()) as {
    url: string
  }
  expect((await callApi(ed, 'POST', `/api/join/${new URL(link.url).pathname.split('/').pop()}`)).status()).toBe(200)

  await openShare(owner)
  await owner.locator(`[data-testid="member"][data-email="${edEmail}"]`).getByRole('button', { name: 'Make owner', exact: true }).click()
  await owner
    .getByRole('dialog', { name: 'Make them the owner?', exact: true })
    .getByRole('button', { name: 'Make owner', exact: true })
    .click()
  // The page reloads with the old owner's new role: the member list read-only, and Leave.
  const people = owner.getByRole('button', { name: /^People \(\d+\)$/ })
  await people.waitFor()
  await owner.waitForSelector('html[data-hydrated]', { state: 'attached' })
  await people.click()
  await owner.getByRole('button', { name: 'Leave this collection', exact: true }).waitFor()
  expect(await owner.locator('[data-testid="member"] select').count()).toBe(0)

  await open(ed, `/collections/${collectionId}`)
  await ed.getByRole('button', { name: 'Share', exact: true }).click()
  await ed.getByRole('heading', { name: 'Share “Team meetings”', exact: true }).waitFor()
  await ed.getByTestId('activity').filter({ hasText: 'Olive made Ed the owner' }).waitFor()
  await open(owner, '/collections')
  const card = owner.getByTestId('shared-collections').locator('li', { hasText: 'Team meetings' })
  expect(await card.textContent()).toContain('editor')
}, 90_000)
