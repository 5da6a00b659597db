// A collection in a known state for calling every route as each role: an owner,
// an editor, a viewer and a stranger; a (failed) video with a note written from
// it; a conversation with a finished answer for each member; a pending email
// invitation and a link. Routes that
// change things get a fresh world per call, so one caller's effect (deleting
// the video) cannot decide the next caller's answer.
import { randomBytes } from 'node:crypto'
import type { Sql } from '../server/platform/db.ts'
import { makeCollection, type Cast } from './factories.ts'

export type CastRole = keyof Cast
export const CAST_ROLES: CastRole[] = ['stranger', 'viewer', 'editor', 'owner']

export type AccessWorld = {
  collectionId: string
  videoId: string
  artifactId: string
  /** A pending email invitation and an invitation link. */
  inviteId: string
  linkId: string
  /** Each member's own conversation and its answer; the stranger is given the owner's. */
  conversations: Record<CastRole, { id: string; messageId: string }>
}

async function conversationOf(sql: Sql, collectionId: string, userId: string): Promise<{ id: string; messageId: string }> {
  const [c] = await sql<
    { id: string }[]
  >`insert into conversations (collection_id, user_id, title) values (${collectionId}, ${userId}, 'About caching') returning id`
  await sql`insert into messages (conversation_id, role, content, status) values (${c!.id}, 'user', 'What is cached?', 'complete')`
  const [m] = await sql<{ id: string }[]>`
    insert into messages (conversation_id, role, content, status, created_at, completed_at)
    values (${c!.id}, 'assistant', 'Values, on disk.', 'complete', clock_timestamp(), now()) returning id`
  return { id: c!.id, messageId: m!.id }
}

export async function makeAccessWorld(ctx: { db: { sql: Sql } }, cast: Cast): Promise<AccessWorld> {
  const sql = ctx.db.sql
  const collectionId = await makeCollection(ctx, cast.owner, {
    members: [
      [cast.editor, 'editor'],
      [cast.viewer, 'viewer'],
    ],
  })
  const [video] = await sql<{ id: string }[]>`
    insert into videos (collection_id, added_by, source_type, title, status, error)
    values (${collectionId}, ${cast.owner.id}, 'transcript', 'Caching talk', 'failed', 'test fixture') returning id`
  const [artifact] = await sql<{ id: string }[]>`
    insert into artifacts (user_id, collection_id, video_id, kind, title) values (${cast.owner.id}, ${collectionId}, ${video!.id}, 'notes', 'Notes') returning id`
  await sql`insert into artifact_versions (artifact_id, version, content, origin, status, stream_id) values (${artifact!.id}, 1, 'Notes.', 'generated', 'complete', gen_random_uuid())`
  const [invite] = await sql<{ id: string }[]>`
    insert into invites (collection_id, kind, email, role, token_hash, created_by, last_sent_at, expires_at)
    values (${collectionId}, 'email', 'invited@example.com', 'viewer', ${randomBytes(32)}, ${cast.owner.id}, now(), now() + interval '7 days') returning id`
  const [link] = await sql<{ id: string }[]>`
    insert into invites (collection_id, kind, role, token_hash, created_by) values (${collectionId}, 'link', 'viewer', ${randomBytes(32)}, ${cast.owner.id}) returning id`
  const owner = await conversationOf(sql, collectionId, cast.owner.id)
  return {
    collectionId,
    videoId: video!.id,
    artifactId: artifact!.id,
    inviteId: invite!.id,
    linkId: link!.id,
    conversations: {
      owner,
      editor: await conversationOf(sql, collectionId, cast.editor.id),
      viewer: await conversationOf(sql, collectionId, cast.viewer.id),
      stranger: owner,
    },
  }
}
