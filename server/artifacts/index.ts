// Routes of artifacts: generate (streams like chat), list, read with versions,
// edit (a new version), regenerate (a new version), resume, stop, delete.
import { Elysia } from 'elysia'
import { authContext, streamOwner } from '../auth/guard.ts'
import { accessContext } from '../collections/accessGuard.ts'
import type { StreamAccess, StreamOwner } from '../platform/streamAccess.ts'
import type { GenerationDeps } from '../generation/generation.ts'
import { GenerationModel } from '../generation/model.ts'
import { parseLastEventId, streamResponse } from '../generation/streamResponse.ts'
import { NotFoundError } from '../platform/errors.ts'
import { ArtifactModel } from './model.ts'
import * as service from './service.ts'
import * as a from './sql.ts'
import { artifactView, versionView } from './views.ts'

export function artifactRoutes(deps: GenerationDeps & { access: StreamAccess }) {
  const { sql, hub } = deps
  // The stream ends when the reader's session ends or they lose the collection.
  const follow = (request: Request, owner: StreamOwner, artifactId: string, version: number, streamId: string, afterSeq: number) =>
    streamResponse(
      request,
      hub,
      sql,
      streamId,
      afterSeq,
      async () => {
        const v = await a.getVersion(sql, artifactId, version)
        if (!v || v.status === 'streaming') return null
        return {
          terminal: true,
          done: {
            artifactId,
            version,
            status: v.status,
            model: v.model,
            content: v.content,
            usage: { inputTokens: v.inputTokens, outputTokens: v.outputTokens },
          },
        }
      },
      { guard: deps.access, owner },
    )
  // Every route with an :id has passed the access guard for that artifact.
  const load = async (id: string) => {
    const artifact = await a.getArtifact(sql, id)
    if (!artifact) throw new NotFoundError('Artifact')
    return artifact
  }

  return new Elysia({ name: 'artifacts', prefix: '/api/artifacts' })
    .use(authContext)
    .use(accessContext)
    .post(
      '/',
      async ({ auth, access, body, request }) => {
        const { artifactId, version, streamId } = await service.createArtifact(deps, auth.userId, body)
        return follow(request, streamOwner(auth, access.collectionId), artifactId, version, streamId, 0)
      },
      {
        body: ArtifactModel.create,
        detail: {
          summary:
            'Generate a summary, notes, outline, FAQ or custom document from a conversation or a video (streams as SSE like an answer)',
          tags: ['artifacts'],
        },
      },
    )
    .get('/', async ({ auth, query }) => (await a.listArtifacts(sql, auth.userId, query)).map(artifactView), {
      query: ArtifactModel.listQuery,
      detail: { summary: 'Your artifacts', tags: ['artifacts'] },
    })
    .get(
      '/:id',
      async ({ params }) => {
        const artifact = await load(params.id)
        return { ...artifactView(artifact), versions: (await a.listVersions(sql, artifact.id)).map(versionView) }
      },
      { params: ArtifactModel.params, detail: { summary: 'An artifact with every version', tags: ['artifacts'] } },
    )
    .put(
      '/:id',
      async ({ params, body }) => {
        const version = await service.editArtifact(deps, params.id, body.content)
        return versionView((await a.getVersion(sql, params.id, version))!)
      },
      {
        params: ArtifactModel.params,
        body: ArtifactModel.edit,
        detail: { summary: 'Save an edited text as a new version', tags: ['artifacts'] },
      },
    )
    .post(
      '/:id/regenerate',
      async ({ auth, access, params, body, request }) => {
        const { version, streamId } = await service.regenerateArtifact(deps, auth.userId, params.id, body?.instructions ?? null)
        return follow(request, streamOwner(auth, access.collectionId), params.id, version, streamId, 0)
      },
      {
        params: ArtifactModel.params,
        body: ArtifactModel.regenerate,
        detail: { summary: 'Generate a new version (streams as SSE)', tags: ['artifacts'] },
      },
    )
    .get(
      '/:id/versions/:version/stream',
      async ({ auth, access, params, query, request }) => {
        await load(params.id)
        const v = await a.getVersion(sql, params.id, params.version)
        if (!v?.streamId) throw new NotFoundError('Version stream')
        const owner = streamOwner(auth, access.collectionId)
        return follow(request, owner, params.id, params.version, v.streamId, parseLastEventId(request, query.lastEventId))
      },
      {
        params: ArtifactModel.versionParams,
        query: GenerationModel.streamQuery,
        detail: { summary: 'Resume a version being generated, from Last-Event-ID', tags: ['artifacts'] },
      },
    )
    .post(
      '/:id/versions/:version/stop',
      async ({ params, set }) => {
        await load(params.id)
        const v = await a.getVersion(sql, params.id, params.version)
        if (!v?.streamId) throw new NotFoundError('Version')
        if (v.status === 'streaming') await hub.requestStop(v.streamId)
        set.status = 202
        return { version: v.version, stopping: v.status === 'streaming' }
      },
      {
        params: ArtifactModel.versionParams,
        detail: { summary: 'Stop a version being generated; the partial text is kept', tags: ['artifacts'] },
      },
    )
    .delete(
      '/:id',
      async ({ params, set }) => {
        if (!(await a.deleteArtifact(sql, params.id))) throw new NotFoundError('Artifact')
        set.status = 204
      },
      { params: ArtifactModel.params, detail: { summary: 'Delete an artifact and all its versions', tags: ['artifacts'] } },
    )
}
