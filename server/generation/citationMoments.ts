// Where each citation of a finished answer opens: the moment of the cited
// passage that best matches the sentences citing it (not the moment that
// matched the question: an answer citing one passage twice for two claims
// should land on the claim's line). Computed once, when the answer is done,
// then stored with it and sent in the `citations` event. A chat answer's
// sources were prepared when they were retrieved (hitMoments.ts) and are
// reused; other passages (an artifact's) are read and prepared here.
import type { Db } from '../platform/db.ts'
import { atMoment, type PreparedPassages } from '../retrieval/hitMoments.ts'
import { passageCues } from '../retrieval/passages.ts'
import { momentIn, passageMoments } from '../retrieval/selectMoment.ts'
import { citedNumbers } from './citations.ts'
import type { SourceView } from './model.ts'

const MARKERS = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g

/** The sentences of the answer that cite each source number, markers removed. */
export function citingSentences(content: string): Map<number, string> {
  const out = new Map<number, string>()
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' })
  for (const { segment } of segmenter.segment(content)) {
    const numbers = citedNumbers(segment)
    if (!numbers.length) continue
    const plain = segment.replace(MARKERS, ' ').replace(/\s+/g, ' ').trim()
    for (const n of new Set(numbers)) out.set(n, out.has(n) ? `${out.get(n)} ${plain}` : plain)
  }
  return out
}

export async function locateCitations(
  db: Db,
  content: string,
  citations: SourceView[],
  prepared: PreparedPassages = new Map(),
): Promise<SourceView[]> {
  const sentences = citingSentences(content)
  const cited = citations.filter((c) => sentences.has(c.n))
  const missing = cited.map((c) => c.chunkId).filter((id) => !prepared.has(id))
  const cues = await passageCues(db, missing)
  return citations.map((c) => {
    const text = sentences.get(c.n)
    if (!text) return c
    return atMoment(c, momentIn(text, prepared.get(c.chunkId) ?? passageMoments(cues.get(c.chunkId) ?? [])))
  })
}
