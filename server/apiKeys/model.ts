// Schemas of the API key routes.
import { t } from 'elysia'

const scope = t.Union([t.Literal('read'), t.Literal('write')], {
  description: '`read`: GET routes, search and watching streams. `write`: everything you may do, except managing your account.',
})

const apiKey = t.Object({
  id: t.String(),
  name: t.String(),
  prefix: t.String({ description: 'The first characters of the secret, to recognise it.' }),
  scope,
  createdAt: t.String(),
  lastUsedAt: t.Nullable(t.String()),
  expiresAt: t.Nullable(t.String()),
  expired: t.Boolean(),
})

export const ApiKeyModel = {
  apiKey,
  create: t.Object({
    name: t.String({ minLength: 1, maxLength: 100 }),
    scope,
    expiresInDays: t.Optional(t.Integer({ minimum: 1, maximum: 3650, description: 'Unset: the key does not expire.' })),
  }),
  created: t.Composite([apiKey, t.Object({ secret: t.String({ description: 'The key itself (`kt_…`): shown this once, never again.' }) })]),
  params: t.Object({ id: t.String({ format: 'uuid' }) }),
}

export type ApiKeyView = typeof apiKey.static
export type ApiKeyInput = typeof ApiKeyModel.create.static
