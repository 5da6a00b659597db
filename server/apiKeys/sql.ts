// Queries of personal API keys. Only the SHA-256 of a key's secret is stored,
// with its first characters for recognising it in the list.
import { columnsOf, type Db } from '../platform/db.ts'

export type ApiKeyScope = 'read' | 'write'
export type ApiKeyRow = {
  id: string
  name: string
  prefix: string
  scope: ApiKeyScope
  createdAt: Date
  lastUsedAt: Date | null
  expiresAt: Date | null
}

const API_KEY_COLUMNS = columnsOf<ApiKeyRow>()(['id', 'name', 'prefix', 'scope', 'createdAt', 'lastUsedAt', 'expiresAt'])

/** A key as listed, with the database's clock to tell whether it has expired. */
export type ApiKeyListed = ApiKeyRow & { now: Date }

export async function insertApiKey(
  db: Db,
  k: { userId: string; name: string; prefix: string; secretHash: Buffer; scope: ApiKeyScope; expiresAt: Date | null },
): Promise<ApiKeyListed> {
  const [row] = await db<ApiKeyListed[]>`
    insert into api_keys (user_id, name, prefix, secret_hash, scope, expires_at)
    values (${k.userId}, ${k.name}, ${k.prefix}, ${k.secretHash}, ${k.scope}, ${k.expiresAt})
    returning ${db(API_KEY_COLUMNS)}, now() as now`
  return row!
}

/** The user's keys that are not revoked (expired ones stay listed, marked). */
export async function listApiKeys(db: Db, userId: string): Promise<ApiKeyListed[]> {
  return db<
    ApiKeyListed[]
  >`select ${db(API_KEY_COLUMNS)}, now() as now from api_keys where user_id = ${userId} and revoked_at is null order by created_at desc`
}

export async function revokeApiKey(db: Db, userId: string, id: string): Promise<boolean> {
  const r =
    await db`update api_keys set revoked_at = now(), revoked_reason = 'revoked' where id = ${id} and user_id = ${userId} and revoked_at is null`
  return r.count > 0
}

/** The ids of the keys it revoked. */
export async function revokeAllApiKeys(db: Db, userId: string, reason: string): Promise<string[]> {
  const rows = await db<
    { id: string }[]
  >`update api_keys set revoked_at = now(), revoked_reason = ${reason} where user_id = ${userId} and revoked_at is null returning id`
  return rows.map((r) => r.id)
}

/** Of these keys, the ones still live (not revoked, not expired). */
export async function liveApiKeyIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db<
    { id: string }[]
  >`select id from api_keys where id in ${db(ids)} and revoked_at is null and (expires_at is null or expires_at > now())`
  return new Set(rows.map((r) => r.id))
}

/** A live key by its secret's hash; its last use is written at most once a minute, in the same statement. */
export async function useApiKey(db: Db, secretHash: Buffer): Promise<{ id: string; userId: string; scope: ApiKeyScope } | undefined> {
  const [row] = await db<{ id: string; userId: string; scope: ApiKeyScope }[]>`
    with live as (
      select id, user_id, scope, last_used_at from api_keys
      where secret_hash = ${secretHash} and revoked_at is null and (expires_at is null or expires_at > now())
    ), touched as (
      update api_keys k set last_used_at = now() from live
      where k.id = live.id and (live.last_used_at is null or live.last_used_at < now() - interval '1 minute')
    )
    select id, user_id, scope from live`
  return row
}
