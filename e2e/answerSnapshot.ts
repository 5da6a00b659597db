// Reading the chat page's newest answer the way a person watching it would:
// its text, whether it is still being written, the Stop button and the
// Stopped badge, in one consistent look, sampled until the answer is done.
import type { Page } from 'playwright-core'

type Snapshot = { busy: string | null; text: string; stop: boolean; stopped: boolean; answers: number }

/** One consistent look at the newest answer: its text, whether it is still streaming, and the composer's Stop button. */
export function snapshot(p: Page): Promise<Snapshot> {
  return p.evaluate(() => {
    const answers = document.querySelectorAll('.msg--answer')
    const last = answers[answers.length - 1]
    return {
      busy: last?.getAttribute('aria-busy') ?? null,
      text: (last?.querySelector('.md')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      stop: document.querySelector('button[aria-label="Stop the answer"]') !== null,
      stopped: [...(last?.querySelectorAll('.badge') ?? [])].some((b) => b.textContent === 'Stopped'),
      answers: answers.length,
    }
  })
}

/** Samples the newest answer until it is no longer streaming. */
export async function sampleUntilDone(p: Page): Promise<Snapshot[]> {
  const samples: Snapshot[] = []
  for (let i = 0; i < 400; i++) {
    const s = await snapshot(p)
    samples.push(s)
    if (s.busy === 'false') return samples
    await p.waitForTimeout(75)
  }
  throw new Error(`the answer did not finish: ${JSON.stringify(samples.at(-1))}`)
}

/** An answer's Markdown as the page shows it: citation markers as bare numbers, whitespace collapsed. */
export const rendered = (markdown: string) =>
  markdown
    .replace(/\[(\d+)\]/g, '$1')
    .replace(/\s+/g, ' ')
    .trim()
