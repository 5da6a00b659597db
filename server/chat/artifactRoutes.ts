// Routes of artifacts: generate (streams like chat), list, read with versions,
// edit (a new version), regenerate (a new version), resume, stop, delete.
import { Elysia, t } from 'elysia'
import { authContext } from '../auth/guard.ts'
import { NotFoundError } from '../platform/errors.ts'
import * as service from './artifacts.ts'
import * as a from './artifactsSql.ts'
import { ChatModel } from './model.ts'
import type { ChatDeps } from './service.ts'
import { parseLastEventId, streamResponse } from './streamResponse.ts'

const kind = t.Union([t.Literal('summary'), t.Literal('notes'), t.Literal('outline'), t.Literal('faq'), t.Literal('custom')])
const params = t.Object({ id: t.String({ format: 'uuid' }) })
const versionParams = t.Object({ id: t.String({ format: 'uuid' }), version: t.Integer({ minimum: 1 }) })

const versionView = (v: a.VersionRow) => ({
  version: v.version,
  content: v.content,
  origin: v.origin,
  status: v.status,
  error: v.error,
  citations: v.citations,
  sources: v.sources,
  model: v.model,
  usage: { inputTokens: v.inputTokens, outputTokens: v.outputTokens },
  createdAt: v.createdAt.toISOString(),
})

const artifactView = (r: a.ArtifactRow) => ({
  id: r.id,
  collectionId: r.collectionId,
  conversationId: r.conversationId,
  videoId: r.videoId,
  kind: r.kind,
  title: r.title,
  instructions: r.instructions,
  latestVersion: r.latestVersion,
  latestStatus: r.latestStatus,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
})

export function artifactRoutes(deps: ChatDeps) {
  const { sql, hub } = deps
  const follow = (request: Request, artifactId: string, version: number, streamId: string, afterSeq: number) =>
    streamResponse(request, hub, sql, streamId, afterSeq, async () => {
      const v = await a.getVersion(sql, artifactId, version)
      if (!v || v.status === 'streaming') return null
      return { terminal: true, done: { artifactId, version, status: v.status, model: v.model, content: v.content, usage: { inputTokens: v.inputTokens, outputTokens: v.outputTokens } } }
    })
  const load = async (userId: string, id: string) => {
    const artifact = await a.getArtifact(sql, userId, id)
    if (!artifact) throw new NotFoundError('Artifact')
    return artifact
  }

  return new Elysia({ name: 'artifacts', prefix: '/api/artifacts' })
    .use(authContext)
    .post(
      '/',
      async ({ auth, body, request }) => {
        const { artifactId, version, streamId } = await service.createArtifact(deps, auth.userId, body)
        return follow(request, artifactId, version, streamId, 0)
      },
      {
        body: t.Object({
          kind,
          conversationId: t.Optional(t.String({ format: 'uuid' })),
          videoId: t.Optional(t.String({ format: 'uuid' })),
          instructions: t.Optional(t.String({ maxLength: 4000 })),
          title: t.Optional(t.String({ minLength: 1, maxLength: 300 })),
        }),
        detail: { summary: 'Generate a summary, notes, outline, FAQ or custom document from a conversation or a video (streams as SSE like an answer)', tags: ['artifacts'] },
      },
    )
    .get(
      '/',
      async ({ auth, query }) => (await a.listArtifacts(sql, auth.userId, query)).map(artifactView),
      { query: t.Object({ conversationId: t.Optional(t.String({ format: 'uuid' })), videoId: t.Optional(t.String({ format: 'uuid' })), collectionId: t.Optional(t.String({ format: 'uuid' })) }), detail: { summary: 'Your artifacts', tags: ['artifacts'] } },
    )
    .get(
      '/:id',
      async ({ auth, params }) => {
        const artifact = await load(auth.userId, params.id)
        return { ...artifactView(artifact), versions: (await a.listVersions(sql, artifact.id)).map(versionView) }
      },
      { params, detail: { summary: 'An artifact with every version', tags: ['artifacts'] } },
    )
    .put(
      '/:id',
      async ({ auth, params, body }) => {
        const version = await service.editArtifact(deps, auth.userId, params.id, body.content)
        return versionView((await a.getVersion(sql, params.id, version))!)
      },
      { params, body: t.Object({ content: t.String({ maxLength: 200_000 }) }), detail: { summary: 'Save an edited text as a new version', tags: ['artifacts'] } },
    )
    .post(
      '/:id/regenerate',
      async ({ auth, params, body, request }) => {
        const { version, streamId } = await service.regenerateArtifact(deps, auth.userId, params.id, body?.instructions ?? null)
        return follow(request, params.id, version, streamId, 0)
      },
      { params, body: t.Optional(t.Object({ instructions: t.Optional(t.String({ maxLength: 4000 })) })), detail: { summary: 'Generate a new version (streams as SSE)', tags: ['artifacts'] } },
    )
    .get(
      '/:id/versions/:version/stream',
      async ({ auth, params, query, request }) => {
        await load(auth.userId, params.id)
        const v = await a.getVersion(sql, params.id, params.version)
        if (!v?.streamId) throw new NotFoundError('Version stream')
        return follow(request, params.id, params.version, v.streamId, parseLastEventId(request, query.lastEventId))
      },
      { params: versionParams, query: ChatModel.streamQuery, detail: { summary: 'Resume a version being generated, from Last-Event-ID', tags: ['artifacts'] } },
    )
    .post(
      '/:id/versions/:version/stop',
      async ({ auth, params, set }) => {
        await load(auth.userId, params.id)
        const v = await a.getVersion(sql, params.id, params.version)
        if (!v?.streamId) throw new NotFoundError('Version')
        if (v.status === 'streaming') await hub.requestStop(v.streamId)
        set.status = 202
        return { version: v.version, stopping: v.status === 'streaming' }
      },
      { params: versionParams, detail: { summary: 'Stop a version being generated; the partial text is kept', tags: ['artifacts'] } },
    )
    .delete(
      '/:id',
      async ({ auth, params, set }) => {
        if (!(await a.deleteArtifact(sql, auth.userId, params.id))) throw new NotFoundError('Artifact')
        set.status = 204
      },
      { params, detail: { summary: 'Delete an artifact and all its versions', tags: ['artifacts'] } },
    )
}
