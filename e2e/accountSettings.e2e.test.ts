// Account basics in the browser: a new confirmation link and a used one, the
// Settings page (display name, password change ending the other sessions,
// account deletion saying what goes), and the note after signing out.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { linkIn } from '../testing/smtpServer.ts'
import { createCollection, launchBrowser, newContext, open, PASSWORD, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'

let stack: Stack
let browser: Browser
let context: BrowserContext
let page: Page
const email = uniqueEmail('settings')

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
  context = await newContext(browser, stack.url)
  page = await context.newPage()
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

async function signIn(p: Page, password = PASSWORD): Promise<void> {
  await open(p, '/login')
  await p.getByLabel('Email').fill(email)
  await p.getByLabel('Password').fill(password)
  await p.getByRole('button', { name: 'Sign in' }).click()
}

test('a dead link and Settings both send a new confirmation link, which confirms the address; the used link says it is already confirmed', async () => {
  const errors = watchErrors(page)
  await signUp(page, email)
  await stack.smtp.waitFor((m) => m.to.includes(email))
  const mailsTo = () => stack.smtp.messages.filter((m) => m.to.includes(email))
  // A link that is no good (mistyped, expired) says so and offers a new one.
  await open(page, '/verify-email?token=not-a-token-we-ever-sent')
  await page.getByText('This link is invalid, expired or already used').waitFor()
  await page.getByRole('button', { name: 'Send me a new link' }).click()
  await page.getByText('A new link is on its way').waitFor()
  await stack.smtp.waitFor((m) => m.to.includes(email) && mailsTo().length >= 2)

  await open(page, '/settings')
  await page.getByText('not confirmed').waitFor()
  await page.getByRole('button', { name: 'Send the confirmation link again' }).click()
  await page.getByText('A new link is on its way').waitFor()
  // A third email arrives; this test follows its link.
  await stack.smtp.waitFor((m) => m.to.includes(email) && mailsTo().length >= 3)
  const link = linkIn(mailsTo().at(-1)!, `${stack.url}/verify-email?token=`)
  await open(page, link)
  await page.getByRole('heading', { name: 'Email confirmed' }).waitFor()
  await open(page, link)
  await page.getByRole('heading', { name: 'Already confirmed' }).waitFor()
  await open(page, '/settings')
  await page.locator('.badge', { hasText: 'confirmed' }).waitFor()
  expect(await page.getByText('not confirmed').count()).toBe(0)
  expect(errors).toEqual([])
}, 60_000)

test('the display name is saved; a password change signs out the other sessions and keeps this one', async () => {
  const errors = watchErrors(page)
  await open(page, '/settings')
  await page.getByLabel('Display name').fill('Ada Lovelace')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await page.getByText('Members of your shared collections now see “Ada Lovelace”').waitFor()
  await page.reload()
  expect(await page.getByLabel('Display name').inputValue()).toBe('Ada Lovelace')

  const other = await (await newContext(browser, stack.url)).newPage()
  await signIn(other)
  await other.waitForURL(/\/collections$/)

  await page.getByLabel('Current password').fill('not my password')
  await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase')
  await page.getByLabel('Repeat the new password').fill('a brand new passphrase')
  await page.getByRole('button', { name: 'Change password' }).click()
  await page.getByText('The current password is wrong.').waitFor()
  await page.getByLabel('Current password').fill(PASSWORD)
  await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase')
  await page.getByLabel('Repeat the new password').fill('a brand new passphrase')
  await page.getByRole('button', { name: 'Change password' }).click()
  await page.getByText('Every other session is signed out.').waitFor()
  // The other device is signed out; this one is not.
  await open(other, '/collections')
  await other.waitForURL(/\/login/)
  await open(page, '/collections')
  expect(new URL(page.url()).pathname).toBe('/collections')
  await other.context().close()
  expect(errors).toEqual([])
}, 60_000)

test('the account menu closes on a click outside it, on Escape, and after an item is chosen', async () => {
  const errors = watchErrors(page)
  await open(page, '/collections')
  const menu = page.locator('details.user-menu')
  const summary = menu.locator('summary')
  const isOpen = () => menu.evaluate((d) => (d as HTMLDetailsElement).open)
  await summary.click()
  await menu.getByRole('link', { name: 'Settings' }).waitFor()
  await page.locator('h1').first().click()
  await menu.getByRole('link', { name: 'Settings' }).waitFor({ state: 'hidden' })
  expect(await isOpen()).toBe(false)

  await summary.click()
  await page.keyboard.press('Escape')
  await menu.getByRole('link', { name: 'Settings' }).waitFor({ state: 'hidden' })
  expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true)

  // The header stays across client-side navigation: the menu must not stay open over the next page.
  await summary.click()
  await menu.getByRole('link', { name: 'Settings' }).click()
  await page.waitForURL(/\/settings$/)
  await page.getByLabel('Display name').waitFor()
  expect(await isOpen()).toBe(false)
  expect(errors).toEqual([])
}, 30_000)

test('signing out says so', async () => {
  await page.locator('summary.user-menu__button').click()
  await page.getByRole('button', { name: 'Log out' }).click()
  await page.waitForURL(/\/login\?signedOut=1$/)
  expect(await page.getByTestId('signed-out').textContent()).toBe('You are signed out.')
}, 30_000)

test('deleting the account says what goes, asks for the password, and deletes it', async () => {
  const errors = watchErrors(page)
  await signIn(page, 'a brand new passphrase')
  await page.waitForURL(/\/collections$/)
  await createCollection(page, 'Lecture notes')
  await open(page, '/settings')
  expect(await page.getByTestId('deletion-summary').textContent()).toContain('The collection “Lecture notes” with its 0 videos')
  await page.getByRole('button', { name: 'Delete my account…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Delete your account?' })
  await dialog.getByLabel('Your password').fill('wrong password')
  await dialog.getByRole('button', { name: 'Delete everything' }).click()
  await dialog.getByText('The current password is wrong.').waitFor()
  await dialog.getByLabel('Your password').fill('a brand new passphrase')
  await dialog.getByRole('button', { name: 'Delete everything' }).click()
  await page.waitForURL(/\/login\?signedOut=deleted$/)
  expect(await page.getByTestId('signed-out').textContent()).toContain('Your account and everything it owned are deleted.')
  const [left] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from users where email = ${email}`
  expect(left!.n).toBe(0)
  const [collections] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from collections where name = 'Lecture notes'`
  expect(collections!.n).toBe(0)
  await signIn(page, 'a brand new passphrase')
  await page.getByText('The email or password is wrong.').waitFor()
  expect(errors).toEqual([])
}, 60_000)
