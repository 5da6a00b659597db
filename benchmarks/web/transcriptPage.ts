// The transcript page of a long talk in Chromium (playwright-core, as the
// browser tests): how big the server-rendered page is, and how soon a click
// on a line works. The talk is the 74-minute Talk Python episode of the shared
// datasets (1,890 lines), opened at 30:00 as a citation would open it.
//
// Each run is a fresh browser context (empty HTTP cache) against a warm
// server. "Interactive" is measured by behaviour, not by a framework flag: a
// script polls every 20 ms, clicking a transcript line's time, until the
// click moves `?t=` (it cannot before the page has hydrated).
//
//   bun run benchmarks/web/transcriptPage.ts [--runs=5] [--no-results]
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createCollection, launchBrowser, newContext, signUp, uniqueEmail } from '../../e2e/browser.ts'
import { REPO, startStack } from '../../e2e/startStack.ts'
import { printMachine } from '../machine.ts'
import { fmt, markdownTable, summarize } from '../stats.ts'
import { updateResults } from '../updateResults.ts'

const TALK = join(REPO, '..', 'shared', 'datasets', 'transcripts', 'talkpython__534-diskcache-your-secret-python-perf-weapon.vtt')
const AT_SECONDS = 1800

// Runs in the page before its own scripts: records when the document arrived
// and when a click on a line first changes the URL.
const PROBE = `
addEventListener('DOMContentLoaded', () => {
  const opened = location.search;
  const probe = () => {
    if (location.search !== opened) { window.__ktInteractive = performance.now(); return; }
    document.querySelector('.line:not([aria-current]) .line__button')?.click();
    setTimeout(probe, 20);
  };
  probe();
});`

type Run = { htmlBytes: number; domContentLoaded: number; load: number; interactive: number; linesAtLoad: number }

if (import.meta.main) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, 'no-results': { type: 'boolean' } } })
  const runs = Number(values.runs)
  const started = performance.now()
  const [stack, browser] = await Promise.all([startStack(), launchBrowser()])
  try {
    const machine = await printMachine(stack.db.sql)
    const setup = await newContext(browser, stack.url)
    const page = await setup.newPage()
    await signUp(page, uniqueEmail('bench'))
    await createCollection(page, 'Talks')
    await page.getByTestId('file-input').setInputFiles(TALK)
    await page.locator('.video-row[data-status="ready"]').waitFor({ timeout: 120_000 })
    const videoId = (await page.locator('.video-row').first().getAttribute('data-video-id'))!
    const [row] = await stack.db.sql<
      { lines: number }[]
    >`select count(*)::int as lines from transcript_segments where video_id = ${videoId}`
    const lines = row!.lines
    const state = await setup.storageState()
    const url = `/videos/${videoId}?t=${AT_SECONDS}`

    const results: Run[] = []
    for (let i = 0; i < runs + 1; i++) {
      const context = await browser.newContext({ baseURL: stack.url, storageState: state, viewport: { width: 1280, height: 900 } })
      await context.addInitScript(PROBE)
      const p = await context.newPage()
      const response = await p.goto(url, { waitUntil: 'load' })
      const html = await response!.body()
      const htmlBytes = html.length
      const linesAtLoad = (html.toString('utf8').match(/<li[^>]* class="line[ "]/g) ?? []).length
      await p.waitForFunction(() => (window as { __ktInteractive?: number }).__ktInteractive !== undefined, null, { timeout: 60_000 })
      const timing = await p.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
        return {
          domContentLoaded: nav.domContentLoadedEventEnd,
          load: nav.loadEventEnd,
          interactive: (window as { __ktInteractive?: number }).__ktInteractive!,
        }
      })
      await context.close()
      // The first run warms the server's caches (and Chromium's code cache for nothing: contexts share none).
      if (i > 0) results.push({ htmlBytes, linesAtLoad, ...timing })
      console.log(
        `run ${i}: ${htmlBytes} B, ${linesAtLoad} lines, DCL ${fmt(timing.domContentLoaded, 0)} ms, interactive ${fmt(timing.interactive, 0)} ms`,
      )
    }
    const median = (pick: (r: Run) => number) => summarize(results.map(pick)).p50
    const max = (pick: (r: Run) => number) => summarize(results.map(pick)).max
    const load1 = (await Bun.file('/proc/loadavg').text()).split(' ')[0]
    const body = [
      `The ${lines}-line (74 min) talk opened at ?t=${AT_SECONDS}, ${runs} cold browser contexts (plus one warm-up), 1280 × 900, Chromium headless; box load (1 min) at the end: ${load1}.`,
      '',
      markdownTable(
        ['', 'median', 'max'],
        [
          ['server-rendered HTML (bytes)', median((r) => r.htmlBytes), max((r) => r.htmlBytes)],
          ['transcript lines in that HTML', median((r) => r.linesAtLoad), max((r) => r.linesAtLoad)],
          [
            'DOMContentLoaded (ms)',
            fmt(
              median((r) => r.domContentLoaded),
              0,
            ),
            fmt(
              max((r) => r.domContentLoaded),
              0,
            ),
          ],
          [
            'load (ms)',
            fmt(
              median((r) => r.load),
              0,
            ),
            fmt(
              max((r) => r.load),
              0,
            ),
          ],
          [
            'interactive: a click on a line moves ?t= (ms)',
            fmt(
              median((r) => r.interactive),
              0,
            ),
            fmt(
              max((r) => r.interactive),
              0,
            ),
          ],
        ],
      ),
    ].join('\n')
    console.log(body)
    if (!values['no-results']) updateResults('transcript page', machine, body, { durationSeconds: (performance.now() - started) / 1000 })
  } finally {
    await browser.close()
    await stack.stop()
  }
}
