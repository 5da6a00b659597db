// Rows to API shapes.
import type { ArtifactVersionView, ArtifactView } from './model.ts'
import type { ArtifactRow, VersionRow } from './sql.ts'

export function versionView(v: VersionRow): ArtifactVersionView {
  return {
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
  }
}

export function artifactView(r: ArtifactRow): ArtifactView {
  return {
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
  }
}
