// Routes of the collections capability. Who may call each one is written in
// the role matrix (accessRules.ts) and checked by the access guard before the handler runs.
import { Elysia, t } from 'elysia'
import { authContext } from '../auth/guard.ts'
import type { Sql } from '../platform/db.ts'
import { NotFoundError } from '../platform/errors.ts'
import type { UploadMeter } from '../platform/quotaGate.ts'
import { accessContext } from './accessGuard.ts'
import { CollectionModel } from './model.ts'
import * as service from './service.ts'
import * as q from './sql.ts'
import { collectionView } from './views.ts'

export function collectionRoutes(deps: { sql: Sql; meter?: UploadMeter }) {
  const { sql } = deps
  const load = async (userId: string, id: string) => {
    const row = await q.getCollection(sql, userId, id)
    if (!row) throw new NotFoundError('Collection')
    return collectionView(row)
  }
  return new Elysia({ name: 'collections', prefix: '/api/collections' })
    .use(authContext)
    .use(accessContext)
    .get('/', async ({ auth }) => (await q.listCollections(sql, auth.userId)).map(collectionView), {
      response: t.Array(CollectionModel.collection),
      detail: { summary: 'Your collections, most recently changed first', tags: ['collections'] },
    })
    .post(
      '/',
      async ({ auth, body, set }) => {
        const id = await service.createCollection(sql, auth.userId, body.name.trim(), body.description?.trim() ?? '')
        set.status = 201
        set.headers.location = `/api/collections/${id}`
        return load(auth.userId, id)
      },
      {
        body: CollectionModel.create,
        response: { 201: CollectionModel.collection },
        detail: { summary: 'Create a collection', tags: ['collections'] },
      },
    )
    .get('/:id', ({ auth, params }) => load(auth.userId, params.id), {
      params: CollectionModel.params,
      response: CollectionModel.collection,
      detail: { summary: 'One collection', tags: ['collections'] },
    })
    .patch(
      '/:id',
      async ({ auth, params, body }) => {
        await q.updateCollection(sql, params.id, { name: body.name?.trim(), description: body.description?.trim() })
        return load(auth.userId, params.id)
      },
      {
        params: CollectionModel.params,
        body: CollectionModel.update,
        response: CollectionModel.collection,
        detail: { summary: 'Rename or describe a collection', tags: ['collections'] },
      },
    )
    .delete(
      '/:id',
      async ({ params, set }) => {
        await service.deleteCollection(deps, params.id)
        set.status = 204
      },
      {
        params: CollectionModel.params,
        detail: { summary: 'Delete a collection with its videos, transcripts and conversations', tags: ['collections'] },
      },
    )
}
