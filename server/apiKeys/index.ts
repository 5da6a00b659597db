// Routes of personal API keys: create (the secret is in this answer only),
// list, revoke. Account routes: a signed-in session only, never a key.
import { Elysia, t } from 'elysia'
import { authContext } from '../auth/guard.ts'
import type { Sql } from '../platform/db.ts'
import { ApiKeyModel } from './model.ts'
import * as service from './service.ts'

export function apiKeyRoutes(deps: { sql: Sql }) {
  const { sql } = deps
  return new Elysia({ name: 'api-keys', prefix: '/api/auth/api-keys' })
    .use(authContext)
    .get('/', ({ auth }) => service.listApiKeys(sql, auth.userId), {
      response: t.Array(ApiKeyModel.apiKey),
      detail: { summary: 'Your API keys (name, prefix, scope, created, last used, expiry)', tags: ['api keys'] },
    })
    .post(
      '/',
      async ({ auth, body, set }) => {
        const created = await service.createApiKey(sql, auth.userId, body)
        set.status = 201
        return created
      },
      {
        body: ApiKeyModel.create,
        response: { 201: ApiKeyModel.created },
        detail: { summary: 'Create an API key; its secret is shown in this answer only', tags: ['api keys'] },
      },
    )
    .delete(
      '/:id',
      async ({ auth, params, set }) => {
        await service.revokeApiKey(sql, auth.userId, params.id)
        set.status = 204
      },
      { params: ApiKeyModel.params, detail: { summary: 'Revoke an API key; it stops working at once', tags: ['api keys'] } },
    )
}
