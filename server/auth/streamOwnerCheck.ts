// The re-check behind stream revocation (server/platform/streamAccess.ts): a
// stream may go on while its session (or API key) is live and, for collection
// data, its reader is still a member. Three batched queries for all of an
// instance's streams.
import { liveApiKeyIds } from '../apiKeys/service.ts'
import { memberPairs } from '../collections/access.ts'
import type { Sql } from '../platform/db.ts'
import type { OwnerCheck } from '../platform/streamAccess.ts'
import { liveSessionIds } from './sql.ts'

export function streamOwnerCheck(sql: Sql): OwnerCheck {
  return async (owners) => {
    const live = await liveSessionIds(sql, [...new Set(owners.flatMap((o) => (o.sessionId ? [o.sessionId] : [])))])
    const liveKeys = await liveApiKeyIds(sql, [...new Set(owners.flatMap((o) => (o.apiKeyId ? [o.apiKeyId] : [])))])
    const scoped = owners.flatMap((o) => (o.collectionId ? [{ collectionId: o.collectionId, userId: o.userId }] : []))
    const members = await memberPairs(sql, scoped)
    return owners.map(
      (o) =>
        (o.sessionId === null || live.has(o.sessionId)) &&
        (!o.apiKeyId || liveKeys.has(o.apiKeyId)) &&
        (!o.collectionId || members.has(`${o.collectionId}|${o.userId}`)),
    )
  }
}
