// Rows to API shapes.
import type { ApiKeyView } from './model.ts'
import type { ApiKeyListed } from './sql.ts'

export function apiKeyView(r: ApiKeyListed): ApiKeyView {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scope: r.scope,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    expired: r.expiresAt !== null && r.expiresAt <= r.now,
  }
}
