// Billing's implementations of the platform hooks: chat and artifacts reserve
// one message from the asker; uploads take a video slot, bytes and minutes
// from whoever `payerFor` names (the collection's owner).
import type { Db, Sql } from '../platform/db.ts'
import type { NewVideoCharge, QuotaGate, QuotaTicket, UploadMeter } from '../platform/quotaGate.ts'
import { payerFor } from './attribution.ts'
import type { Billing } from './billing.ts'
import { refund, releaseTotals, reserve, settle } from './quotas.ts'
import { bindReservation } from './sql.ts'

export function createQuotaGate(sql: Sql, billing: Billing): QuotaGate {
  return {
    async reserve(userId, kind): Promise<QuotaTicket> {
      const r = await reserve(sql, billing, {
        userId,
        dimension: 'messages',
        amount: 1,
        reason: kind === 'artifact' ? 'document generated' : 'question asked',
        hold: true,
      })
      const { limit, used, granted, resetsAt } = r.usage
      return {
        usage: {
          limit: limit === null ? null : limit + granted,
          used,
          remaining: limit === null ? null : Math.max(0, limit + granted - used),
          resetsAt: resetsAt?.toISOString() ?? null,
        },
        bind: (tx, streamId) => bindReservation(tx, r.id, streamId),
        settle: async () => void (await settle(sql, r.id, null, 'answered')),
        refund: async (reason) => void (await refund(sql, r.id, reason)),
      }
    },
  }
}

/** Minutes for audio are reserved (held) so the transcription can settle or refund them; slots and bytes are charged outright. */
export function createUploadMeter(billing: Billing): UploadMeter {
  async function chargeMinutes(tx: Db, c: Omit<NewVideoCharge, 'bytes'>) {
    if (c.minutes <= 0) return
    const owner = await payerFor(tx, 'minutes', c)
    await reserve(tx, billing, {
      userId: owner,
      dimension: 'minutes',
      amount: c.minutes,
      reference: c.videoId,
      reason: 'transcription reserved (estimate)',
      hold: true,
    })
  }
  return {
    async chargeNewVideo(tx, c) {
      const owner = await payerFor(tx, 'videos', c)
      await reserve(tx, billing, { userId: owner, dimension: 'videos', amount: 1, reference: c.videoId, reason: 'video added' })
      if (c.bytes > 0)
        await reserve(tx, billing, {
          userId: owner,
          dimension: 'storage_bytes',
          amount: c.bytes,
          reference: c.videoId,
          reason: 'file uploaded',
        })
      await chargeMinutes(tx, c)
    },
    chargeRetry: chargeMinutes,
    async releaseVideos(tx, videoIds) {
      for (const id of videoIds) await releaseTotals(tx, id, 'video deleted')
    },
  }
}
