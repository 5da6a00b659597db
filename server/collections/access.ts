// Who may do what with a collection: the one place that decides. The access
// guard applies the role matrix (accessRules.ts) here before every handler;
// services re-check with requireCollectionRole where they act on their own.
// A collection the caller cannot see is "not found", never "forbidden", so ids
// reveal nothing; a member below the role needed gets 403 naming that role.
import type { Db } from '../platform/db.ts'
import { AppError, NotFoundError, UnprocessableError } from '../platform/errors.ts'
import { publishRevocation } from '../platform/streamAccess.ts'
import { ROLE_RANK, type AccessRule, type Role, type Target } from './accessRules.ts'
import * as q from './sql.ts'

export type { Role } from './accessRules.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export class RoleRequiredError extends AppError {
  constructor(required: Role, actual: Role) {
    super(
      403,
      'role_required',
      'Forbidden',
      `This needs the ${required} role in this collection; you are ${actual === 'owner' ? 'the owner' : `a${actual === 'editor' ? 'n' : ''} ${actual}`}.`,
      { extras: { requiredRole: required, role: actual } },
    )
  }
}

export class AuthorOnlyError extends AppError {
  constructor(what: string) {
    super(403, 'author_only', 'Forbidden', `This ${what} is shared read-only: only the member who started it can change it.`)
  }
}

/** A conversation, or an artifact made from one: private to its author unless shared. */
export type Personal = { authorId: string; shared: boolean }
export type AccessTarget = { collectionId: string; personal: Personal | null }
export type Access = AccessTarget & { role: Role }

/**
 * How a path id becomes its collection, provided by the capability that owns
 * the row (app.ts wires them), so this module reads no other capability's tables.
 * A conversation comes with the caller's role in its collection (null: not a
 * member), read in the same statement: one round trip for every chat request.
 */
export type TargetResolvers = {
  video(db: Db, id: string): Promise<{ collectionId: string } | undefined>
  conversation(
    db: Db,
    id: string,
    userId: string,
  ): Promise<{ collectionId: string; authorId: string; shared: boolean; role: Role | null } | undefined>
  artifact(db: Db, id: string): Promise<{ collectionId: string; conversationId: string | null } | undefined>
}

/** A target with, when its resolver read it, the caller's role in that collection (null: not a member). */
type Resolved = AccessTarget & { memberRole?: Role | null }

type Input = { params?: Record<string, string | undefined>; body?: unknown }

const NOUN: Record<Target, string> = {
  collection: 'Collection',
  'body.collectionId': 'Collection',
  video: 'Video',
  conversation: 'Conversation',
  artifact: 'Artifact',
  'body.artifactSource': 'Artifact source',
}

function uuidOr404(value: unknown, noun: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new NotFoundError(noun)
  return value
}

function bodyField(body: unknown, field: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined
}

async function conversationTarget(db: Db, resolvers: TargetResolvers, id: string, noun: string, userId: string): Promise<Resolved> {
  const c = await resolvers.conversation(db, uuidOr404(id, noun), userId)
  if (!c) throw new NotFoundError(noun)
  return { collectionId: c.collectionId, personal: { authorId: c.authorId, shared: c.shared }, memberRole: c.role }
}

async function videoTarget(db: Db, resolvers: TargetResolvers, id: unknown, noun: string): Promise<AccessTarget> {
  const v = await resolvers.video(db, uuidOr404(id, noun))
  if (!v) throw new NotFoundError(noun)
  return { collectionId: v.collectionId, personal: null }
}

async function resolveTarget(db: Db, resolvers: TargetResolvers, target: Target, input: Input, userId: string): Promise<Resolved> {
  const noun = NOUN[target]
  const id = input.params?.id
  switch (target) {
    case 'collection':
      return { collectionId: uuidOr404(id, noun), personal: null }
    case 'video':
      return videoTarget(db, resolvers, id, noun)
    case 'conversation':
      return conversationTarget(db, resolvers, id ?? '', noun, userId)
    case 'artifact': {
      const a = await resolvers.artifact(db, uuidOr404(id, noun))
      if (!a) throw new NotFoundError(noun)
      if (!a.conversationId) return { collectionId: a.collectionId, personal: null }
      const c = await conversationTarget(db, resolvers, a.conversationId, noun, userId)
      // The role read with the conversation is for its collection: the artifact's is checked on its own.
      return { collectionId: a.collectionId, personal: c.personal }
    }
    case 'body.collectionId': {
      const value = bodyField(input.body, 'collectionId')
      if (typeof value !== 'string')
        throw new UnprocessableError('validation_failed', 'Invalid body: collectionId: Expected string', {
          errors: [{ field: 'collectionId', message: 'Expected string' }],
        })
      return { collectionId: uuidOr404(value, noun), personal: null }
    }
    case 'body.artifactSource': {
      const videoId = bodyField(input.body, 'videoId')
      const conversationId = bodyField(input.body, 'conversationId')
      if ((videoId === undefined) === (conversationId === undefined))
        throw new UnprocessableError('artifact_source_invalid', 'Give exactly one of conversationId or videoId.')
      return videoId !== undefined
        ? videoTarget(db, resolvers, videoId, 'Video')
        : conversationTarget(db, resolvers, String(conversationId), 'Conversation', userId)
    }
  }
}

/** Applies a `member` rule of the matrix: resolves the target's collection, then checks membership, role and authorship. */
export async function authorize(
  db: Db,
  resolvers: TargetResolvers,
  userId: string,
  rule: Extract<AccessRule, { kind: 'member' }>,
  input: Input,
): Promise<Access> {
  const { memberRole, ...target } = await resolveTarget(db, resolvers, rule.target, input, userId)
  const noun = target.personal && rule.target === 'body.artifactSource' ? 'Conversation' : NOUN[rule.target]
  const role = memberRole !== undefined ? memberRole : await q.getMemberRole(db, target.collectionId, userId)
  if (!role) throw new NotFoundError(noun)
  if (target.personal) {
    // Personal things need membership only; what matters is whose they are.
    if (target.personal.authorId === userId) return { ...target, role }
    if (!target.personal.shared) throw new NotFoundError(noun)
    if (rule.personal !== 'read') throw new AuthorOnlyError(rule.target === 'artifact' ? 'document' : 'conversation')
    return { ...target, role }
  }
  if (ROLE_RANK[role] < ROLE_RANK[rule.role]) throw new RoleRequiredError(rule.role, role)
  return { ...target, role }
}

export async function requireCollectionRole(db: Db, userId: string, collectionId: string, min: Role): Promise<Role> {
  if (!UUID.test(collectionId)) throw new NotFoundError('Collection')
  const role = await q.getMemberRole(db, collectionId, userId)
  if (!role) throw new NotFoundError('Collection')
  if (ROLE_RANK[role] < ROLE_RANK[min]) throw new RoleRequiredError(min, role)
  return role
}

/** The collection a video belongs to, if the user has at least `min` there. */
export async function requireVideoRole(db: Db, userId: string, videoId: string, min: Role): Promise<{ collectionId: string; role: Role }> {
  if (!UUID.test(videoId)) throw new NotFoundError('Video')
  const row = await q.getVideoMembership(db, videoId, userId)
  if (!row) throw new NotFoundError('Video')
  if (ROLE_RANK[row.role] < ROLE_RANK[min]) throw new RoleRequiredError(min, row.role)
  return row
}

/** The user's role in the collection, or null when they are not a member. */
export function memberRole(db: Db, collectionId: string, userId: string): Promise<Role | null> {
  return q.getMemberRole(db, collectionId, userId)
}

export function readableCollectionIds(db: Db, userId: string): Promise<string[]> {
  return q.listMemberCollectionIds(db, userId)
}

/** The collection's one owner (for billing: videos, minutes and storage count against them). */
export async function collectionOwnerId(db: Db, collectionId: string): Promise<string | null> {
  if (!UUID.test(collectionId)) return null
  return q.getCollectionOwnerId(db, collectionId)
}

/** Members including the owner (for billing's members-per-collection limit). */
export function countCollectionMembers(db: Db, collectionId: string): Promise<number> {
  return q.countMembers(db, collectionId)
}

/** Of these (collection, user) pairs, the ones that are still members, as `collectionId|userId`. */
export function memberPairs(db: Db, pairs: { collectionId: string; userId: string }[]): Promise<Set<string>> {
  return q.memberPairs(db, pairs)
}

/**
 * Ends `userId`'s open streams of the collection on every api instance: call
 * it (inside the same transaction) when a member is removed or loses read access.
 */
export async function announceAccessLost(db: Db, userId: string, collectionId: string): Promise<void> {
  await publishRevocation(db, { userId, collectionId })
}
