// The billing hooks every metered action goes through. Billing provides the
// real ones (server/billing/gates.ts); without them nothing is metered.
import type { Db, SqlStep } from './db.ts'

export type QuotaUsage = { limit: number | null; used: number; remaining: number | null; resetsAt: string | null }

/** A charge taken before the work starts: settle it when the work is done, refund it when the work produced nothing. Each happens at most once. */
export type QuotaTicket = {
  usage: QuotaUsage | null
  /**
   * Ties the charge to the stream about to start, atomically with creating it
   * (await it in that transaction, or nest it in that statement), so an
   * interrupted stream settles it too. Null: nothing to tie (not metered).
   */
  bind(db: Db, streamId: string): SqlStep | null
  settle(): Promise<void>
  refund(reason: string): Promise<void>
}

/** Messages and generated documents: throws a 402 `quota_exceeded` problem to refuse. */
export type QuotaGate = { reserve(userId: string, kind: 'message' | 'artifact'): Promise<QuotaTicket> }

const freeTicket: QuotaTicket = { usage: null, bind: () => null, settle: async () => {}, refund: async () => {} }
export const unlimitedQuota: QuotaGate = { reserve: async () => freeTicket }

/** The end of a generation decides the ticket: nothing streamed and it failed -> refund; otherwise the charge stands. */
export function closeTicket(ticket: QuotaTicket, result: { status: string; ttftMs: number | null }): Promise<void> {
  return result.status === 'failed' && result.ttftMs === null ? ticket.refund('the answer failed before its first token') : ticket.settle()
}

export type NewVideoCharge = { collectionId: string; actorId: string; videoId: string; bytes: number; minutes: number }

/** Videos, their bytes and transcription minutes, charged in the transaction that adds or removes them. */
export type UploadMeter = {
  /** Takes a video slot, its bytes and (audio) the estimated minutes, or throws 402 so the transaction writes nothing. */
  chargeNewVideo(tx: Db, charge: NewVideoCharge): Promise<void>
  /** A failed audio video queued again: its minutes are reserved again. */
  chargeRetry(tx: Db, charge: Omit<NewVideoCharge, 'bytes'>): Promise<void>
  /** Gives back the slots and bytes of videos being deleted. */
  releaseVideos(tx: Db, videoIds: string[]): Promise<void>
}

export const unmeteredUploads: UploadMeter = { chargeNewVideo: async () => {}, chargeRetry: async () => {}, releaseVideos: async () => {} }
