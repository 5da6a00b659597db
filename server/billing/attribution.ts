// Who pays for what happens in a collection — the one rule, kept here so
// sharing reuses it instead of restating it: videos, transcription minutes and
// storage count against the collection's owner; chat messages (and generated
// documents) against the member who asks.
import { collectionOwnerId, countCollectionMembers } from '../collections/access.ts'
import type { Db } from '../platform/db.ts'
import { NotFoundError } from '../platform/errors.ts'
import type { Dimension } from './model.ts'
import type { BillingSettings } from './planState.ts'
import { planStateFor, QuotaExceededError } from './quotas.ts'

/** The user a dimension's usage in `collectionId` is charged to, when `actorId` acts. */
export async function payerFor(db: Db, dimension: Dimension, where: { collectionId: string; actorId: string }): Promise<string> {
  if (dimension === 'messages') return where.actorId
  const owner = await collectionOwnerId(db, where.collectionId)
  if (!owner) throw new NotFoundError('Collection')
  return owner
}

/**
 * For sharing: refuses (402 quota_exceeded, dimension `members`) adding `adding`
 * more members when the owner's plan caps members per collection. Members
 * include the owner. Call it in the transaction that adds them, after locking
 * the collection row, so two invitations cannot both take the last seat.
 */
export async function assertCanAddMembers(db: Db, settings: BillingSettings, collectionId: string, adding = 1): Promise<void> {
  const owner = await collectionOwnerId(db, collectionId)
  if (!owner) throw new NotFoundError('Collection')
  const state = await planStateFor(db, settings, owner)
  const limit = state.plan.limits.membersPerCollection
  if (limit === null) return
  const members = await countCollectionMembers(db, collectionId)
  if (members + adding > limit)
    throw new QuotaExceededError({
      dimension: 'members',
      limit,
      used: members,
      requested: adding,
      resetsAt: null,
      plan: state.plan.name,
      upgradeUrl: `${settings.publicUrl}/pricing`,
    })
}
