// Personal API keys: `kt_` + 32 random bytes (base64url), shown once, stored as
// SHA-256. A key works as `Authorization: Bearer kt_…` with its user's own
// permissions cut down to its scope (the access guard checks the scope against
// the role matrix, and refuses keys on account routes). Each key has its own
// request budget per minute. Revoking a key, deleting the user and resetting
// the password stop it at once, open streams read with it included; signing
// out everywhere does not (keys are not sessions).
import { randomBytes } from 'node:crypto'
import { hashToken } from '../auth/secureTokens.ts'
import type { Db, Sql } from '../platform/db.ts'
import { NotFoundError, UnauthorizedError } from '../platform/errors.ts'
import { spendBudget } from '../platform/rateLimits.ts'
import { publishRevocation } from '../platform/streamAccess.ts'
import type { ApiKeyInput, ApiKeyView } from './model.ts'
import * as q from './sql.ts'
import { apiKeyView } from './views.ts'

export const API_KEY_PREFIX = 'kt_'
/** `kt_` and the first 8 characters of the secret: enough to tell keys apart, useless to an attacker. */
const VISIBLE_CHARS = API_KEY_PREFIX.length + 8

export function isApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX)
}

export async function createApiKey(sql: Sql, userId: string, input: ApiKeyInput): Promise<ApiKeyView & { secret: string }> {
  const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url')
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 24 * 3600 * 1000) : null
  const row = await q.insertApiKey(sql, {
    userId,
    name: input.name.trim() || 'API key',
    prefix: secret.slice(0, VISIBLE_CHARS),
    secretHash: hashToken(secret),
    scope: input.scope,
    expiresAt,
  })
  return { ...apiKeyView(row), secret }
}

export async function listApiKeys(sql: Sql, userId: string): Promise<ApiKeyView[]> {
  return (await q.listApiKeys(sql, userId)).map(apiKeyView)
}

export async function revokeApiKey(sql: Sql, userId: string, id: string): Promise<void> {
  if (!(await q.revokeApiKey(sql, userId, id))) throw new NotFoundError('API key')
  await publishRevocation(sql, { apiKeyIds: [id] })
}

/** Password resets call this: whoever had the old password may have made keys. */
export async function revokeAllApiKeys(db: Db, userId: string, reason: string): Promise<number> {
  const ids = await q.revokeAllApiKeys(db, userId, reason)
  if (ids.length) await publishRevocation(db, { apiKeyIds: ids })
  return ids.length
}

/** Of these keys, the ones still live (the stream re-check). */
export function liveApiKeyIds(db: Db, ids: string[]): Promise<Set<string>> {
  return q.liveApiKeyIds(db, ids)
}

export type ApiKeyAuth = { keyId: string; userId: string; scope: q.ApiKeyScope }

/** The user and scope of a live key, within the key's budget of requests per minute (429 past it). */
export async function authenticateApiKey(sql: Sql, secret: string, perMinute: number): Promise<ApiKeyAuth> {
  const key = await q.useApiKey(sql, hashToken(secret))
  if (!key) throw new UnauthorizedError('This API key is invalid, expired or revoked.', 'api_key_invalid')
  await spendBudget(
    sql,
    { key: `api-key:${key.id}`, max: perMinute, windowSeconds: 60 },
    1,
    `This API key may make ${perMinute} requests a minute. Slow down.`,
  )
  return { keyId: key.id, userId: key.userId, scope: key.scope }
}
