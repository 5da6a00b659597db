// Queries of the sharing capability: members and their roles. Membership rows
// live in collection_members (read through collections/access.ts); the writes
// that change who is in a collection, and in which role, are here.
import type { Role } from '../collections/accessRules.ts'
import type { Db } from '../platform/db.ts'

export type MemberRow = { userId: string; email: string; displayName: string; role: Role; joinedAt: Date }

export async function listMembers(db: Db, collectionId: string): Promise<MemberRow[]> {
  return db<MemberRow[]>`
    select m.user_id, u.email, u.display_name, m.role, m.created_at as joined_at
    from collection_members m join users u on u.id = m.user_id
    where m.collection_id = ${collectionId}
    order by case m.role when 'owner' then 0 when 'editor' then 1 else 2 end, lower(u.display_name), u.email`
}

/** Serialises every membership change of one collection (transfers, joins against a seat limit). */
export async function lockCollection(db: Db, collectionId: string): Promise<{ ownerId: string } | undefined> {
  const [row] = await db<{ ownerId: string }[]>`select owner_id from collections where id = ${collectionId} for update`
  return row
}

export async function setMemberRole(db: Db, collectionId: string, userId: string, role: Role): Promise<void> {
  await db`update collection_members set role = ${role} where collection_id = ${collectionId} and user_id = ${userId}`
}

export async function deleteMember(db: Db, collectionId: string, userId: string): Promise<boolean> {
  const r = await db`delete from collection_members where collection_id = ${collectionId} and user_id = ${userId} and role <> 'owner'`
  return r.count > 0
}

/** Demote first: the one-owner index never sees two owner rows. */
export async function moveOwnership(db: Db, collectionId: string, fromUserId: string, toUserId: string): Promise<void> {
  await db`update collection_members set role = 'editor' where collection_id = ${collectionId} and user_id = ${fromUserId}`
  await db`update collection_members set role = 'owner' where collection_id = ${collectionId} and user_id = ${toUserId}`
  await db`update collections set owner_id = ${toUserId}, updated_at = now() where id = ${collectionId}`
}

export async function addMember(db: Db, collectionId: string, userId: string, role: Role): Promise<boolean> {
  const r =
    await db`insert into collection_members (collection_id, user_id, role) values (${collectionId}, ${userId}, ${role}) on conflict do nothing`
  return r.count > 0
}

export async function getCollectionName(db: Db, collectionId: string): Promise<string | null> {
  const [row] = await db<{ name: string }[]>`select name from collections where id = ${collectionId}`
  return row?.name ?? null
}

export async function memberEmails(db: Db, collectionId: string): Promise<string[]> {
  const rows = await db<
    { email: string }[]
  >`select u.email from collection_members m join users u on u.id = m.user_id where m.collection_id = ${collectionId}`
  return rows.map((r) => r.email)
}

// ---- invitations

export type InviteRow = {
  id: string
  collectionId: string
  kind: 'email' | 'link'
  email: string | null
  role: 'editor' | 'viewer'
  createdBy: string | null
  createdAt: Date
  lastSentAt: Date | null
  expiresAt: Date | null
  maxUses: number | null
  useCount: number
  acceptedAt: Date | null
  declinedAt: Date | null
  revokedAt: Date | null
  now: Date
}
/** An invitation with what its recipient is shown: the collection and who invited them. */
export type InviteWithContext = InviteRow & { collectionName: string; inviterName: string | null }

const INVITE_COLUMNS = (db: Db) => db`
  i.id, i.collection_id, i.kind, i.email, i.role, i.created_by, i.created_at, i.last_sent_at, i.expires_at,
  i.max_uses, i.use_count, i.accepted_at, i.declined_at, i.revoked_at, now() as now`
const WITH_CONTEXT = (db: Db) => db`
  select ${INVITE_COLUMNS(db)}, c.name as collection_name, u.display_name as inviter_name
  from invites i join collections c on c.id = i.collection_id left join users u on u.id = i.created_by`
const OPEN_EMAIL = (db: Db) => db`i.kind = 'email' and i.accepted_at is null and i.declined_at is null and i.revoked_at is null`

/** Creates the address's open invitation, or renews it (new token, role, expiry) when one is open already. */
export async function upsertEmailInvite(
  db: Db,
  p: { collectionId: string; email: string; role: string; tokenHash: Buffer; createdBy: string; ttlSeconds: number },
): Promise<InviteRow & { created: boolean }> {
  const [row] = await db<(InviteRow & { created: boolean })[]>`
    insert into invites as i (collection_id, kind, email, role, token_hash, created_by, last_sent_at, expires_at)
    values (${p.collectionId}, 'email', ${p.email}, ${p.role}, ${p.tokenHash}, ${p.createdBy}, now(), now() + make_interval(secs => ${p.ttlSeconds}))
    on conflict (collection_id, email) where kind = 'email' and accepted_at is null and declined_at is null and revoked_at is null
    do update set role = excluded.role, token_hash = excluded.token_hash, last_sent_at = now(), expires_at = excluded.expires_at
    returning ${INVITE_COLUMNS(db)}, (xmax = 0) as created`
  return row!
}

export async function insertLink(
  db: Db,
  p: { collectionId: string; role: string; tokenHash: Buffer; createdBy: string; expiresAt: Date | null; maxUses: number | null },
): Promise<InviteRow> {
  const [row] = await db<InviteRow[]>`
    insert into invites as i (collection_id, kind, role, token_hash, created_by, expires_at, max_uses)
    values (${p.collectionId}, 'link', ${p.role}, ${p.tokenHash}, ${p.createdBy}, ${p.expiresAt}, ${p.maxUses})
    returning ${INVITE_COLUMNS(db)}`
  return row!
}

export async function listOpenEmailInvites(db: Db, collectionId: string): Promise<InviteRow[]> {
  return db<
    InviteRow[]
  >`select ${INVITE_COLUMNS(db)} from invites i where i.collection_id = ${collectionId} and ${OPEN_EMAIL(db)} order by i.created_at desc`
}

export async function listLinks(db: Db, collectionId: string): Promise<InviteRow[]> {
  return db<
    InviteRow[]
  >`select ${INVITE_COLUMNS(db)} from invites i where i.collection_id = ${collectionId} and i.kind = 'link' and i.revoked_at is null order by i.created_at desc limit 100`
}

export async function getInvite(db: Db, collectionId: string, id: string, kind: 'email' | 'link'): Promise<InviteRow | undefined> {
  const [row] = await db<
    InviteRow[]
  >`select ${INVITE_COLUMNS(db)} from invites i where i.id = ${id} and i.collection_id = ${collectionId} and i.kind = ${kind}`
  return row
}

/** Locks the invitation for an acceptance (after the collection: always in that order). */
export async function getInviteByTokenHash(db: Db, tokenHash: Buffer, lock = false): Promise<InviteWithContext | undefined> {
  const [row] = await db<InviteWithContext[]>`${WITH_CONTEXT(db)} where i.token_hash = ${tokenHash} ${lock ? db`for update of i` : db``}`
  return row
}

export async function getInviteWithContext(db: Db, id: string, lock = false): Promise<InviteWithContext | undefined> {
  const [row] = await db<InviteWithContext[]>`${WITH_CONTEXT(db)} where i.id = ${id} ${lock ? db`for update of i` : db``}`
  return row
}

/** Open, unexpired invitations addressed to `email` ("Invitations" in the invitee's app). */
export async function listInvitationsFor(db: Db, email: string): Promise<InviteWithContext[]> {
  return db<
    InviteWithContext[]
  >`${WITH_CONTEXT(db)} where i.email = ${email} and ${OPEN_EMAIL(db)} and i.expires_at > now() order by i.created_at desc`
}

export async function renewEmailInvite(db: Db, id: string, tokenHash: Buffer, ttlSeconds: number): Promise<InviteRow | undefined> {
  const [row] = await db<InviteRow[]>`
    update invites i set token_hash = ${tokenHash}, last_sent_at = now(), expires_at = now() + make_interval(secs => ${ttlSeconds})
    where i.id = ${id} and ${OPEN_EMAIL(db)}
    returning ${INVITE_COLUMNS(db)}`
  return row
}

/** A new token for an open, unexpired email invitation; its expiry stays (the mail worker mints the emailed link). */
export async function rekeyEmailInvite(db: Db, id: string, tokenHash: Buffer): Promise<InviteRow | undefined> {
  const [row] = await db<InviteRow[]>`
    update invites i set token_hash = ${tokenHash}
    where i.id = ${id} and ${OPEN_EMAIL(db)} and i.expires_at > now()
    returning ${INVITE_COLUMNS(db)}`
  return row
}

export async function revokeInvite(db: Db, id: string): Promise<boolean> {
  const r =
    await db`update invites set revoked_at = now() where id = ${id} and revoked_at is null and accepted_at is null and declined_at is null`
  return r.count > 0
}

/** One use of a link, only while it has uses left: of two people taking the last one, exactly one gets it. */
export async function takeLinkUse(db: Db, id: string): Promise<boolean> {
  const r = await db`
    update invites set use_count = use_count + 1
    where id = ${id} and kind = 'link' and revoked_at is null and (expires_at is null or expires_at > now()) and (max_uses is null or use_count < max_uses)`
  return r.count > 0
}

export async function closeEmailInvite(db: Db, id: string, outcome: 'accepted' | 'declined', userId: string): Promise<boolean> {
  const r = await db`
    update invites set
      accepted_at = case when ${outcome} = 'accepted' then now() end,
      accepted_by = case when ${outcome} = 'accepted' then ${userId}::uuid end,
      declined_at = case when ${outcome} = 'declined' then now() end
    where id = ${id} and kind = 'email' and accepted_at is null and declined_at is null and revoked_at is null and expires_at > now()`
  return r.count > 0
}

// ---- activity

export type ActivityAction =
  | 'invited'
  | 'invite_resent'
  | 'invite_revoked'
  | 'invite_declined'
  | 'joined'
  | 'role_changed'
  | 'removed'
  | 'left'
  | 'ownership_transferred'
  | 'link_created'
  | 'link_revoked'

export type NewActivity = {
  action: ActivityAction
  actorId: string | null
  subjectUserId?: string | null
  subjectEmail?: string | null
  role?: Role | null
  detail?: Record<string, unknown>
}

export type ActivityRow = {
  id: number
  action: ActivityAction
  actorId: string | null
  actorName: string | null
  subjectUserId: string | null
  subjectName: string | null
  subjectEmail: string | null
  role: Role | null
  detail: Record<string, unknown>
  createdAt: Date
}

export async function insertActivity(db: Db, collectionId: string, a: NewActivity): Promise<void> {
  await db`
    insert into collection_activity (collection_id, actor_id, action, subject_user_id, subject_email, role, detail)
    values (${collectionId}, ${a.actorId}, ${a.action}, ${a.subjectUserId ?? null}, ${a.subjectEmail ?? null}, ${a.role ?? null}, ${db.json((a.detail ?? {}) as never)})`
}

/** Newest first; `before` is the id of the last entry of the previous page. */
export async function listActivity(db: Db, collectionId: string, p: { before: number | null; limit: number }): Promise<ActivityRow[]> {
  return db<ActivityRow[]>`
    select a.id::int as id, a.action, a.actor_id, actor.display_name as actor_name, a.subject_user_id, subject.display_name as subject_name,
           coalesce(a.subject_email, subject.email) as subject_email, a.role, a.detail, a.created_at
    from collection_activity a
    left join users actor on actor.id = a.actor_id
    left join users subject on subject.id = a.subject_user_id
    where a.collection_id = ${collectionId} ${p.before ? db`and a.id < ${p.before}` : db``}
    order by a.id desc
    limit ${p.limit}`
}
