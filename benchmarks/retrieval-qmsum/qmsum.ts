// Loads the QMSum test split as the product would see it: each meeting is one
// "video" whose speaker turns are cues, each specific query carries the gold
// turn spans that answer it.

import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Segment } from '../../server/retrieval/types'

/** Inclusive range of turn indices, as in the dataset. */
export type TurnSpan = [start: number, end: number]

export type QmsumQuery = { query: string; spans: TurnSpan[] }

export type QmsumMeeting = { id: string; segments: Segment[]; queries: QmsumQuery[] }

/** `<repo>/../shared/datasets/qmsum`, the shared checkout beside the repository. */
export function defaultQmsumDir(repoRoot: string = resolve(import.meta.dir, '../..')): string {
  return resolve(repoRoot, '../shared/datasets/qmsum')
}

// QMSum turns carry no times; a steady speaking rate gives every turn a
// plausible moment so chunk times are exercised as for a real video.
const MS_PER_WORD = 400

// Annotations like {vocalsound} or {disfmarker} are corpus markup, not speech;
// no real transcript contains them.
const MARKUP = /\{[a-z_]+\}/giu

export function loadQmsum(dir: string = defaultQmsumDir()): QmsumMeeting[] {
  const testDir = join(dir, 'test')
  return readdirSync(testDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseMeeting(f.replace(/\.json$/u, ''), JSON.parse(readFileSync(join(testDir, f), 'utf8'))))
}

export function parseMeeting(id: string, raw: unknown): QmsumMeeting {
  const data = raw as {
    meeting_transcripts: { speaker: string; content: string }[]
    specific_query_list: { query: string; relevant_text_span: [string, string][] }[]
  }
  let clock = 0
  const segments: Segment[] = data.meeting_transcripts.map(({ speaker, content }) => {
    const text = content.replace(MARKUP, ' ').replace(/\s+/gu, ' ').trim()
    const words = text ? text.split(' ').length : 0
    const startMs = clock
    clock += Math.max(1, words) * MS_PER_WORD
    return { startMs, endMs: clock, speaker, text }
  })
  const queries = data.specific_query_list.map(({ query, relevant_text_span }) => ({
    query,
    spans: relevant_text_span.map(([s, e]): TurnSpan => [Number(s), Number(e)]),
  }))
  for (const q of queries) {
    for (const [s, e] of q.spans) {
      if (!(Number.isInteger(s) && Number.isInteger(e) && s >= 0 && s <= e && e < segments.length)) {
        throw new Error(`${id}: span [${s}, ${e}] outside the transcript (${segments.length} turns)`)
      }
    }
  }
  return { id, segments, queries }
}
