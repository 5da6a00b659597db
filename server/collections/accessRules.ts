// The role matrix: every route of the API, written once as data. The access
// guard (accessGuard.ts) enforces it on each request and routeAccess.test.ts
// calls every route in /api/openapi.json as a non-member, viewer, editor and
// owner and expects exactly what is written here; a route missing from this
// table fails that test (and, at run time, is refused).
//
// kinds:
//   public   no sign-in (must also be in PUBLIC_ROUTES of auth/guard.ts)
//   account  managing your own account (password, sessions, API keys, billing
//            changes): a signed-in session only, never an API key
//   user     any signed-in user, on their own things or on everything they can
//            read (lists, search across collections); API keys by scope
//   member   a member of the collection the target belongs to, with at least
//            `role`. `target` says where the collection comes from. A personal
//            target (a conversation, or an artifact made from one) needs only
//            membership, and `personal` says who may use it: `read` = its
//            author, or any member once it is shared; `author` = its author.
// `scope` is what an API key needs: read keys call `read` routes only.

export type Role = 'owner' | 'editor' | 'viewer'
export type Scope = 'read' | 'write'
/** Where a route's collection comes from: a path id, or the JSON body of a create. */
export type Target = 'collection' | 'video' | 'conversation' | 'artifact' | 'body.collectionId' | 'body.artifactSource'

export type AccessRule =
  | { kind: 'public' }
  | { kind: 'account' }
  | { kind: 'user'; scope: Scope }
  | { kind: 'member'; scope: Scope; role: Role; target: Target; personal?: 'read' | 'author' }

export const ROLE_RANK: Record<Role, number> = { viewer: 1, editor: 2, owner: 3 }

const PUBLIC: AccessRule = { kind: 'public' }
const ACCOUNT: AccessRule = { kind: 'account' }
const USER_READ: AccessRule = { kind: 'user', scope: 'read' }
const USER_WRITE: AccessRule = { kind: 'user', scope: 'write' }
const member = (role: Role, target: Target, scope: Scope, personal?: 'read' | 'author'): AccessRule => ({
  kind: 'member',
  scope,
  role,
  target,
  ...(personal ? { personal } : {}),
})

export const ACCESS_RULES: Record<string, AccessRule> = {
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,
  'GET /metrics': PUBLIC,
  'GET /api/openapi.json': PUBLIC,
  'GET /api/docs': PUBLIC,
  'GET /api/docs/assets/:file': PUBLIC,

  'GET /api/capabilities': PUBLIC,
  'GET /api/auth/providers': PUBLIC,
  'POST /api/auth/signup': PUBLIC,
  'POST /api/auth/login': PUBLIC,
  'POST /api/auth/refresh': PUBLIC,
  'POST /api/auth/logout': PUBLIC,
  'POST /api/auth/verify-email': PUBLIC,
  'POST /api/auth/password-reset': PUBLIC,
  'POST /api/auth/password-reset/confirm': PUBLIC,
  'GET /api/auth/oauth/:provider/start': PUBLIC,
  'GET /api/auth/oauth/:provider/callback': PUBLIC,
  'GET /api/auth/me': USER_READ,
  'POST /api/auth/verify-email/resend': ACCOUNT,
  'PATCH /api/auth/me': ACCOUNT,
  'POST /api/auth/password': ACCOUNT,
  'GET /api/auth/me/deletion': ACCOUNT,
  'DELETE /api/auth/me': ACCOUNT,
  'GET /api/auth/sessions': ACCOUNT,
  'DELETE /api/auth/sessions/:id': ACCOUNT,
  'POST /api/auth/logout-all': ACCOUNT,
  'GET /api/auth/api-keys/': ACCOUNT,
  'POST /api/auth/api-keys/': ACCOUNT,
  'DELETE /api/auth/api-keys/:id': ACCOUNT,

  // Reading your plan and usage is harmless for a script; changing or paying is account business.
  'GET /api/billing/plans': PUBLIC,
  'POST /api/billing/contact': PUBLIC,
  'POST /api/billing/webhook': PUBLIC,
  'GET /api/billing/': USER_READ,
  'GET /api/billing/invoices': ACCOUNT,
  'POST /api/billing/checkout': ACCOUNT,
  'POST /api/billing/portal': ACCOUNT,

  'GET /api/collections/': USER_READ,
  'POST /api/collections/': USER_WRITE,
  'GET /api/collections/:id': member('viewer', 'collection', 'read'),
  'PATCH /api/collections/:id': member('owner', 'collection', 'write'),
  'DELETE /api/collections/:id': member('owner', 'collection', 'write'),

  'GET /api/collections/:id/members': member('viewer', 'collection', 'read'),
  'PATCH /api/collections/:id/members/:userId': member('owner', 'collection', 'write'),
  'DELETE /api/collections/:id/members/:userId': member('owner', 'collection', 'write'),
  'POST /api/collections/:id/leave': member('viewer', 'collection', 'write'),
  'POST /api/collections/:id/transfer': member('owner', 'collection', 'write'),
  'GET /api/collections/:id/invites': member('owner', 'collection', 'read'),
  'POST /api/collections/:id/invites': member('owner', 'collection', 'write'),
  'POST /api/collections/:id/invites/:inviteId/resend': member('owner', 'collection', 'write'),
  'DELETE /api/collections/:id/invites/:inviteId': member('owner', 'collection', 'write'),
  'GET /api/collections/:id/links': member('owner', 'collection', 'read'),
  'POST /api/collections/:id/links': member('owner', 'collection', 'write'),
  'DELETE /api/collections/:id/links/:linkId': member('owner', 'collection', 'write'),
  'GET /api/collections/:id/activity': member('owner', 'collection', 'read'),

  // The invitee's side: the link itself is the key to its preview.
  'GET /api/join/:token': PUBLIC,
  'POST /api/join/:token': USER_WRITE,
  'GET /api/invitations': USER_READ,
  'POST /api/invitations/:id/accept': USER_WRITE,
  'POST /api/invitations/:id/decline': USER_WRITE,

  'GET /api/collections/:id/videos': member('viewer', 'collection', 'read'),
  'POST /api/collections/:id/videos/transcripts': member('editor', 'collection', 'write'),
  'POST /api/collections/:id/videos/youtube': member('editor', 'collection', 'write'),
  'POST /api/collections/:id/videos/audio': member('editor', 'collection', 'write'),
  'GET /api/collections/:id/events': member('viewer', 'collection', 'read'),
  'GET /api/videos/:id': member('viewer', 'video', 'read'),
  'GET /api/videos/:id/transcript': member('viewer', 'video', 'read'),
  'PATCH /api/videos/:id': member('editor', 'video', 'write'),
  'POST /api/videos/:id/retry': member('editor', 'video', 'write'),
  'DELETE /api/videos/:id': member('editor', 'video', 'write'),

  'GET /api/collections/:id/search': member('viewer', 'collection', 'read'),
  'GET /api/search': USER_READ,

  'GET /api/conversations/': USER_READ,
  'GET /api/conversations/search': USER_READ,
  'GET /api/conversations/answer-options': USER_READ,
  'POST /api/conversations/': member('viewer', 'body.collectionId', 'write'),
  'GET /api/collections/:id/shared-conversations': member('viewer', 'collection', 'read'),
  'GET /api/conversations/:id': member('viewer', 'conversation', 'read', 'read'),
  'PATCH /api/conversations/:id': member('viewer', 'conversation', 'write', 'author'),
  'DELETE /api/conversations/:id': member('viewer', 'conversation', 'write', 'author'),
  'POST /api/conversations/:id/messages': member('viewer', 'conversation', 'write', 'author'),
  'GET /api/conversations/:id/messages/:messageId/stream': member('viewer', 'conversation', 'read', 'read'),
  'POST /api/conversations/:id/messages/:messageId/stop': member('viewer', 'conversation', 'write', 'author'),
  'GET /api/conversations/:id/export': member('viewer', 'conversation', 'read', 'read'),

  // Video notes belong to the collection (editors write them); an artifact
  // made from a conversation follows the conversation.
  'GET /api/artifacts/': USER_READ,
  'POST /api/artifacts/': member('editor', 'body.artifactSource', 'write', 'author'),
  'GET /api/artifacts/:id': member('viewer', 'artifact', 'read', 'read'),
  'PUT /api/artifacts/:id': member('editor', 'artifact', 'write', 'author'),
  'DELETE /api/artifacts/:id': member('editor', 'artifact', 'write', 'author'),
  'POST /api/artifacts/:id/regenerate': member('editor', 'artifact', 'write', 'author'),
  'GET /api/artifacts/:id/versions/:version/stream': member('viewer', 'artifact', 'read', 'read'),
  'POST /api/artifacts/:id/versions/:version/stop': member('editor', 'artifact', 'write', 'author'),
}

export function accessRuleFor(method: string, route: string): AccessRule | undefined {
  return ACCESS_RULES[`${method === 'HEAD' ? 'GET' : method} ${route}`]
}
