// Schemas of the collection routes.
import { t } from 'elysia'

const role = t.Union([t.Literal('owner'), t.Literal('editor'), t.Literal('viewer')])

export const CollectionModel = {
  role,
  create: t.Object({ name: t.String({ minLength: 1, maxLength: 200 }), description: t.Optional(t.String({ maxLength: 5000 })) }),
  update: t.Object(
    { name: t.Optional(t.String({ minLength: 1, maxLength: 200 })), description: t.Optional(t.String({ maxLength: 5000 })) },
    { minProperties: 1 },
  ),
  params: t.Object({ id: t.String({ format: 'uuid' }) }),
  collection: t.Object({
    id: t.String(),
    name: t.String(),
    description: t.String(),
    role: t.Union(role.anyOf, { description: 'Your role in the collection.' }),
    ownerId: t.String(),
    ownerName: t.String(),
    memberCount: t.Integer(),
    videoCount: t.Integer(),
    readyCount: t.Integer(),
    createdAt: t.String(),
    updatedAt: t.String(),
  }),
}

export type CollectionView = typeof CollectionModel.collection.static
