// Queries of artifacts: documents generated from a conversation or a video,
// every generation or edit kept as a numbered version. Video notes belong to the
// collection; an artifact made from a conversation follows the conversation
// (its author's, readable by members once shared). Routes reach one by id only
// after the access guard has checked that; lists filter the same way.
import type { Db } from '../platform/db.ts'
import type { GenerationResult } from '../generation/generation.ts'
import type { SourceView } from '../generation/model.ts'
import type { ArtifactKind } from './model.ts'

export type ArtifactRow = {
  id: string
  collectionId: string
  conversationId: string | null
  videoId: string | null
  kind: ArtifactKind
  title: string
  instructions: string | null
  latestVersion: number
  latestStatus: VersionRow['status']
  createdAt: Date
  updatedAt: Date
}
export type VersionRow = {
  version: number
  content: string
  origin: 'generated' | 'edited'
  status: 'streaming' | 'complete' | 'stopped' | 'failed'
  error: string | null
  sources: SourceView[]
  citations: SourceView[]
  streamId: string | null
  model: string | null
  inputTokens: number | null
  outputTokens: number | null
  createdAt: Date
}

const ARTIFACT_SELECT = (db: Db) => db`
  select a.id, a.collection_id, a.conversation_id, a.video_id, a.kind, a.title, a.instructions, a.created_at, a.updated_at,
         v.version as latest_version, v.status as latest_status
  from artifacts a
  join lateral (select version, status from artifact_versions where artifact_id = a.id order by version desc limit 1) v on true`

export async function insertArtifact(
  db: Db,
  a: {
    userId: string
    collectionId: string
    conversationId: string | null
    videoId: string | null
    kind: ArtifactKind
    title: string
    instructions: string | null
  },
): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    insert into artifacts (user_id, collection_id, conversation_id, video_id, kind, title, instructions)
    values (${a.userId}, ${a.collectionId}, ${a.conversationId}, ${a.videoId}, ${a.kind}, ${a.title}, ${a.instructions})
    returning id`
  return row!.id
}

/** The next version number, taken under a row lock so two writers never collide. */
export async function insertVersion(
  db: Db,
  artifactId: string,
  v: {
    content: string
    origin: 'generated' | 'edited'
    status: VersionRow['status']
    streamId: string | null
    sources: SourceView[]
    citations?: SourceView[]
    model: string | null
  },
): Promise<number> {
  await db`select id from artifacts where id = ${artifactId} for update`
  const [row] = await db<{ version: number }[]>`
    insert into artifact_versions (artifact_id, version, content, origin, status, stream_id, sources, citations, model)
    values (${artifactId}, (select coalesce(max(version), 0) + 1 from artifact_versions where artifact_id = ${artifactId}),
            ${v.content}, ${v.origin}, ${v.status}, ${v.streamId}, ${db.json(v.sources as never)}, ${db.json((v.citations ?? []) as never)}, ${v.model})
    returning version`
  await db`update artifacts set updated_at = now() where id = ${artifactId}`
  return row!.version
}

/** Saves a version's end; false when it was no longer streaming (settled by another instance). */
export async function finishVersion(db: Db, artifactId: string, version: number, r: GenerationResult): Promise<boolean> {
  const saved = await db`
    update artifact_versions set content = ${r.content}, citations = ${db.json(r.citations as never)}, status = ${r.status}, error = ${r.error},
      model = ${r.model}, input_tokens = ${r.inputTokens}, output_tokens = ${r.outputTokens}
    where artifact_id = ${artifactId} and version = ${version} and status = 'streaming'`
  return saved.count > 0
}

/** A version whose api instance died mid-generation: failed, keeping exactly the text that was streamed (generation/abandoned.ts). */
export async function failInterruptedVersion(db: Db, streamId: string, content: string, error: string): Promise<number> {
  const r =
    await db`update artifact_versions set status = 'failed', error = ${error}, content = ${content} where stream_id = ${streamId} and status = 'streaming'`
  return r.count
}

export async function getArtifact(db: Db, id: string): Promise<ArtifactRow | undefined> {
  const [row] = await db<ArtifactRow[]>`${ARTIFACT_SELECT(db)} where a.id = ${id}`
  return row
}

export async function listArtifacts(
  db: Db,
  userId: string,
  f: { conversationId?: string; videoId?: string; collectionId?: string },
): Promise<ArtifactRow[]> {
  return db<ArtifactRow[]>`
    ${ARTIFACT_SELECT(db)}
    where exists (select 1 from collection_members m where m.collection_id = a.collection_id and m.user_id = ${userId})
      and (a.video_id is not null or a.user_id = ${userId}
           or exists (select 1 from conversations c where c.id = a.conversation_id and c.shared_at is not null))
      ${f.conversationId ? db`and a.conversation_id = ${f.conversationId}` : db``}
      ${f.videoId ? db`and a.video_id = ${f.videoId}` : db``}
      ${f.collectionId ? db`and a.collection_id = ${f.collectionId}` : db``}
    order by a.updated_at desc, a.id
    limit 200`
}

export async function listVersions(db: Db, artifactId: string): Promise<VersionRow[]> {
  return db<VersionRow[]>`
    select version, content, origin, status, error, sources, citations, stream_id, model, input_tokens, output_tokens, created_at
    from artifact_versions where artifact_id = ${artifactId} order by version`
}

export async function getVersion(db: Db, artifactId: string, version: number): Promise<VersionRow | undefined> {
  const [row] = await db<VersionRow[]>`
    select version, content, origin, status, error, sources, citations, stream_id, model, input_tokens, output_tokens, created_at
    from artifact_versions where artifact_id = ${artifactId} and version = ${version}`
  return row
}

export async function deleteArtifact(db: Db, id: string): Promise<boolean> {
  const r = await db`delete from artifacts where id = ${id}`
  return r.count > 0
}

/** For the access guard: the collection an artifact belongs to, and the conversation it follows (null for video notes). */
export async function getArtifactAccess(db: Db, id: string): Promise<{ collectionId: string; conversationId: string | null } | undefined> {
  const [row] = await db<
    { collectionId: string; conversationId: string | null }[]
  >`select collection_id, conversation_id from artifacts where id = ${id}`
  return row
}
