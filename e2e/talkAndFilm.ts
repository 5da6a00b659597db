// A collection holding a real talk and a short film (two subtitle files from
// ../shared/datasets), uploaded through the page and waited on until both are
// ready: the set-up of the browser tests that need two distinct videos.
import type { Page } from 'playwright-core'
import { createCollection } from './browser.ts'
import { transcriptPath } from '../testing/datasets.ts'

export const TALK = transcriptPath('bornhacksubs__2021-440-eng-How_to_open_source_your_code_properly_hd.mp4.srt')
export const FILM = transcriptPath('meyer1994-srt__sintel_en.srt')

export type TalkAndFilm = { collectionId: string; videos: Record<'talk' | 'film', { id: string; title: string }> }

/** Creates the collection on the signed-in page, uploads both files and returns their ids and titles. */
export async function uploadTalkAndFilm(page: Page, name: string): Promise<TalkAndFilm> {
  const collectionId = await createCollection(page, name)
  await page.getByTestId('file-input').setInputFiles([TALK, FILM])
  await page.locator('.video-row[data-status="ready"]').nth(1).waitFor({ timeout: 60_000 })
  const rows = await page.evaluate(
    async (cid) =>
      (await (await fetch(`/api/collections/${cid}/videos`)).json()) as { id: string; title: string; sourceFilename: string }[],
    collectionId,
  )
  const videos = { talk: { id: '', title: '' }, film: { id: '', title: '' } }
  for (const v of rows) videos[v.sourceFilename.includes('sintel') ? 'film' : 'talk'] = { id: v.id, title: v.title }
  return { collectionId, videos }
}
