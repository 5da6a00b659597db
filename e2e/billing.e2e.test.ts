// Billing in the browser: a Free user (2 messages a month in this test) hits
// the limit, sees the upgrade prompt, upgrades through the Stripe emulator's
// Checkout page, the webhook arrives, and the account page shows Starter with
// its usage bars; the next question is answered.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import Stripe from 'stripe'
import { loadCatalogue } from '../server/billing/catalogue.ts'
import { syncCatalogue } from '../server/billing/catalogueSync.ts'
import { startStripeEmulator, type StripeEmulator } from '../testing/stripe/emulator.ts'
import { createCollection, launchBrowser, newContext, open, screenshot, signUp, uniqueEmail, watchErrors } from './browser.ts'
import { startStack, type Stack } from './startStack.ts'

const SECRET = 'whsec_e2e_billing_secret_0123456789'
const VTT =
  'WEBVTT\n\n00:00:01.000 --> 00:00:05.000\nDiskCache keeps its values in SQLite files on disk.\n\n00:00:06.000 --> 00:00:09.000\nIt survives restarts of the process.\n'

let emulator: StripeEmulator
let stack: Stack
let browser: Browser
let page: Page
let errors: string[]

beforeAll(async () => {
  emulator = await startStripeEmulator()
  await syncCatalogue(new Stripe('sk_test_e2e', emulator.sdkOptions), loadCatalogue())
  const dir = mkdtempSync(join(tmpdir(), 'kt-plans-'))
  const plans = loadCatalogue()
  plans.plans[0]!.limits.messages = 2
  writeFileSync(join(dir, 'plans.json'), JSON.stringify(plans))
  writeFileSync(join(dir, 'talk.vtt'), VTT)
  ;[stack, browser] = await Promise.all([
    startStack({
      STRIPE_SECRET_KEY: 'sk_test_e2e',
      STRIPE_API_URL: emulator.url,
      STRIPE_WEBHOOK_SECRET: SECRET,
      PLANS_FILE: join(dir, 'plans.json'),
    }),
    launchBrowser(),
  ])
  emulator.addWebhookEndpoint({ url: `${stack.url.replace('localhost', '127.0.0.1')}/api/billing/webhook`, secret: SECRET })
  page = await (await newContext(browser, stack.url)).newPage()
  errors = watchErrors(page)
  await signUp(page, uniqueEmail('billing'))
  await createCollection(page, 'Caching talks')
  await page.getByTestId('file-input').setInputFiles(join(dir, 'talk.vtt'))
  await page.locator('.video-row[data-status="ready"]').waitFor({ timeout: 60_000 })
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
  await emulator?.stop()
})

async function askAndWait(question: string) {
  const before = await page.locator('.msg--answer').count()
  await page.locator('#chat-question').fill(question)
  await page.keyboard.press('Enter')
  await page.locator('.msg--answer').nth(before).waitFor()
  await page.waitForFunction((n) => document.querySelectorAll('.msg--answer')[n]?.getAttribute('aria-busy') === 'false', before, {
    timeout: 30_000,
  })
}

test('a Free user hits the message limit, upgrades through Checkout, and the limit is lifted', async () => {
  await open(page, '/collections')
  await page.getByRole('link', { name: 'Caching talks' }).click()
  await page.getByRole('link', { name: 'Chat with this collection' }).click()
  await page.locator('#chat-question:not([disabled])').waitFor()
  const chatUrl = new URL(page.url())
  stack.anthropic.setScript({ text: 'In SQLite files on disk [1].' })

  await askAndWait('Where does DiskCache keep its values?')
  await askAndWait('Does it survive restarts?')
  const notice = page.getByTestId('usage-notice')
  await notice.waitFor()
  expect(await notice.textContent()).toContain('You have used all 2 chat messages')

  await askAndWait('One more question?')
  expect(await page.locator('.msg--answer').last().textContent()).toContain('Plan limit reached')

  await notice.getByRole('link', { name: 'Upgrade for more' }).click()
  await page.waitForURL(/\/pricing$/)
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached' })
  expect(await page.locator('[data-plan="free"]').textContent()).toContain('Your plan')
  await screenshot(page, 'pricing')
  await page.getByRole('button', { name: 'Upgrade to Starter' }).click()
  // The emulator's Checkout pays when opened and sends the browser back.
  await page.waitForURL(/\/account\/billing\?checkout=success$/, { timeout: 30_000 })
  await page.getByTestId('current-plan').filter({ hasText: 'Starter' }).waitFor({ timeout: 30_000 })
  expect(await page.locator('.usage-bar[data-dimension="messages"]').textContent()).toContain('0 of 500')
  await page.getByTestId('usage-chart').locator('canvas').waitFor()
  await page.getByRole('button', { name: 'Manage billing' }).waitFor()
  await screenshot(page, 'plan-usage')

  // A paid period starts with the subscription: its count begins at zero.
  await open(page, chatUrl.pathname)
  await page.locator('#chat-question:not([disabled])').waitFor()
  await askAndWait('And now?')
  expect(await page.locator('.msg--answer').last().textContent()).toContain('SQLite')
  expect(emulator.events('checkout.session.completed')).toHaveLength(1)
  expect(errors).toEqual([])
}, 120_000)
