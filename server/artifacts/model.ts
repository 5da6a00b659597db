// Schemas of the artifact routes. The TypeScript types come from here.
import { t } from 'elysia'
import { GenerationModel } from '../generation/model.ts'

const kind = t.Union([t.Literal('summary'), t.Literal('notes'), t.Literal('outline'), t.Literal('faq'), t.Literal('custom')])
const status = t.Union([t.Literal('streaming'), t.Literal('complete'), t.Literal('stopped'), t.Literal('failed')])

const version = t.Object({
  version: t.Integer(),
  content: t.String(),
  origin: t.Union([t.Literal('generated'), t.Literal('edited')]),
  status,
  error: t.Nullable(t.String()),
  citations: t.Array(GenerationModel.source),
  sources: t.Array(GenerationModel.source),
  model: t.Nullable(t.String()),
  usage: t.Object({ inputTokens: t.Nullable(t.Integer()), outputTokens: t.Nullable(t.Integer()) }),
  createdAt: t.String(),
})

const artifact = t.Object({
  id: t.String(),
  collectionId: t.String(),
  conversationId: t.Nullable(t.String()),
  videoId: t.Nullable(t.String()),
  kind,
  title: t.String(),
  instructions: t.Nullable(t.String()),
  latestVersion: t.Integer(),
  latestStatus: status,
  createdAt: t.String(),
  updatedAt: t.String(),
})

export const ArtifactModel = {
  kind,
  version,
  artifact,
  artifactWithVersions: t.Composite([artifact, t.Object({ versions: t.Array(version) })]),
  params: t.Object({ id: t.String({ format: 'uuid' }) }),
  versionParams: t.Object({ id: t.String({ format: 'uuid' }), version: t.Integer({ minimum: 1 }) }),
  create: t.Object({
    kind,
    conversationId: t.Optional(t.String({ format: 'uuid' })),
    videoId: t.Optional(t.String({ format: 'uuid' })),
    instructions: t.Optional(t.String({ maxLength: 4000 })),
    title: t.Optional(t.String({ minLength: 1, maxLength: 300 })),
  }),
  listQuery: t.Object({
    conversationId: t.Optional(t.String({ format: 'uuid' })),
    videoId: t.Optional(t.String({ format: 'uuid' })),
    collectionId: t.Optional(t.String({ format: 'uuid' })),
  }),
  edit: t.Object({ content: t.String({ maxLength: 200_000 }) }),
  regenerate: t.Optional(t.Object({ instructions: t.Optional(t.String({ maxLength: 4000 })) })),
}

export type ArtifactKind = typeof kind.static
export type ArtifactView = typeof artifact.static
export type ArtifactVersionView = typeof version.static
export type ArtifactWithVersions = typeof ArtifactModel.artifactWithVersions.static
export type ArtifactInput = typeof ArtifactModel.create.static
