// Debian's Chromium driven by playwright-core (no browser download), one fresh
// profile per launch, plus the small helpers the e2e tests share.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { REPO } from './startStack.ts'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SCREENSHOTS = join(REPO, 'docs', 'screenshots')

export async function launchBrowser(): Promise<Browser> {
  if (!(await Bun.file(CHROMIUM).exists()))
    throw new Error(`Chromium not found at ${CHROMIUM}: run \`make test-deps\` (or set CHROMIUM_PATH).`)
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/**
 * Content-Security-Policy violations seen by any page (testing/preload.ts fails
 * the test during which they appear): the pages must satisfy their own CSP.
 */
export const cspViolations: string[] = ((globalThis as { __ktCspViolations?: string[] }).__ktCspViolations ??= [])

export async function newContext(
  browser: Browser,
  baseURL: string,
  options: {
    width?: number
    height?: number
    colorScheme?: 'light' | 'dark'
    storageState?: Awaited<ReturnType<BrowserContext['storageState']>>
  } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    storageState: options.storageState,
    viewport: { width: options.width ?? 1280, height: options.height ?? 860 },
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  })
  context.setDefaultTimeout(15_000)
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(
        `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'an inline script or style'} (${e.sourceFile}:${e.lineNumber})`,
      ),
    )
  })
  context.on('console', (msg) => {
    if (msg.type() === 'error' && /CSP violation|Content Security Policy/.test(msg.text()))
      cspViolations.push(`${msg.location().url}: ${msg.text()}`)
  })
  return context
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? false })
}

/** Collects uncaught page errors and console errors, so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`))
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/youtube|Failed to load resource/i.test(msg.text())) errors.push(`console: ${msg.text()}`)
  })
  return errors
}

let counter = 0
export function uniqueEmail(label: string): string {
  return `${label}.${Date.now().toString(36)}${(counter++).toString(36)}@example.com`
}

export const PASSWORD = 'correct horse battery staple'

/** Opens a path and waits until the page is interactive (hydrated). */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path)
  // A generous bound: the first page of a run loads and compiles the whole client, slow on a busy 2-core box.
  await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 })
}

/** Signs up through the UI; the app signs the person in at once and lands on /collections. */
export async function signUp(page: Page, email: string, name = 'Ada'): Promise<void> {
  await open(page, '/signup')
  await page.getByLabel('Name').fill(name)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.waitForURL(/\/collections\?welcome=1$/)
}

/** Creates a collection from the collections page and waits for its page. */
export async function createCollection(page: Page, name: string, description = ''): Promise<string> {
  await open(page, '/collections')
  await page.locator('#collection-name').fill(name)
  if (description) await page.locator('#collection-description').fill(description)
  await page.getByRole('button', { name: 'Create', exact: true }).click()
  await page.waitForURL(/\/collections\/[0-9a-f-]{36}$/)
  return page.url().split('/').pop()!
}

/** The api as the page's signed-in person: the context's cookies and our Origin (cookie-authenticated writes need it). */
export function callApi(page: Page, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, data?: unknown) {
  return page.request.fetch(path, { method, data, headers: { origin: new URL(page.url()).origin } })
}
