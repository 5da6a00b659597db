// What the pipeline reports back: the exact transcribed minutes settle the
// estimate held at upload, a transcription that failed for good refunds it,
// and a fetched transcript's text counts as storage.
import type { Db } from '../platform/db.ts'
import { payerFor } from './attribution.ts'
import type { Billing } from './billing.ts'
import { charge, closeHeld, releaseTotals } from './quotas.ts'

/** The stored size of a transcript: its text, in UTF-8. */
export function transcriptBytes(segments: { text: string; speaker?: string | null }[]): number {
  let bytes = 0
  for (const s of segments) bytes += Buffer.byteLength(s.text) + (s.speaker ? Buffer.byteLength(s.speaker) : 0)
  return bytes
}

export function minutesOf(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs / 60_000))
}

export function settleTranscription(db: Db, videoId: string, durationMs: number | null): Promise<void> {
  return closeHeld(db, videoId, { settle: durationMs === null ? null : minutesOf(durationMs) }, 'transcribed')
}

export function refundTranscription(db: Db, videoId: string): Promise<void> {
  return closeHeld(db, videoId, 'refund', 'transcription failed')
}

/** Transcripts fetched or transcribed (not uploaded) count as storage once stored. */
export async function chargeTranscriptBytes(
  db: Db,
  billing: Billing,
  v: { videoId: string; collectionId: string; bytes: number },
): Promise<void> {
  const owner = await payerFor(db, 'storage_bytes', { collectionId: v.collectionId, actorId: '' })
  // A transcript made again (a retried video) replaces the old one's bytes.
  const reference = `${v.videoId}:transcript`
  await releaseTotals(db, reference, 'transcript replaced')
  await charge(db, billing, { userId: owner, dimension: 'storage_bytes', amount: v.bytes, reference, reason: 'transcript stored' })
}
