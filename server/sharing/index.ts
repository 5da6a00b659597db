// Routes of the sharing capability: the members of a collection, their roles,
// leaving and ownership transfer, invitations and links, the activity log, and
// the invitee's side (a link's preview, joining, "Invitations"). Who may call
// each is in the role matrix (collections/accessRules.ts), checked by the access guard first.
import { Elysia, t } from 'elysia'
import { authContext } from '../auth/guard.ts'
import { accessContext } from '../collections/accessGuard.ts'
import { listActivity } from './activity.ts'
import * as invites from './invites.ts'
import * as joining from './joining.ts'
import * as members from './members.ts'
import { SharingModel } from './model.ts'

export type SharingDeps = invites.InviteDeps

export function sharingRoutes(deps: SharingDeps) {
  const { sql } = deps
  return new Elysia({ name: 'sharing', prefix: '/api/collections' })
    .use(authContext)
    .use(accessContext)
    .get('/:id/members', ({ access }) => members.listMembers(sql, access.collectionId), {
      params: SharingModel.collectionParams,
      response: t.Array(SharingModel.member),
      detail: { summary: 'Members of a collection with their roles (owner first)', tags: ['sharing'] },
    })
    .patch(
      '/:id/members/:userId',
      async ({ auth, access, params, body }) => {
        await members.changeRole(sql, access.collectionId, auth.userId, params.userId, body.role)
        return members.listMembers(sql, access.collectionId)
      },
      {
        params: SharingModel.memberParams,
        body: SharingModel.roleChange,
        response: t.Array(SharingModel.member),
        detail: { summary: 'Change a member’s role (editor or viewer)', tags: ['sharing'] },
      },
    )
    .delete(
      '/:id/members/:userId',
      async ({ auth, access, params, set }) => {
        await members.removeMember(sql, access.collectionId, auth.userId, params.userId)
        set.status = 204
      },
      {
        params: SharingModel.memberParams,
        detail: { summary: 'Remove a member; their access, open streams included, ends at once', tags: ['sharing'] },
      },
    )
    .post(
      '/:id/leave',
      async ({ auth, access, set }) => {
        await members.leave(sql, access.collectionId, auth.userId)
        set.status = 204
      },
      {
        params: SharingModel.collectionParams,
        detail: { summary: 'Leave a collection shared with you (the owner cannot leave)', tags: ['sharing'] },
      },
    )
    .post(
      '/:id/transfer',
      async ({ auth, access, body }) => {
        await members.transferOwnership(sql, access.collectionId, auth.userId, body.userId)
        return members.listMembers(sql, access.collectionId)
      },
      {
        params: SharingModel.collectionParams,
        body: SharingModel.transfer,
        response: t.Array(SharingModel.member),
        detail: { summary: 'Make an editor the owner, at once; you become an editor', tags: ['sharing'] },
      },
    )
    .get('/:id/invites', ({ access }) => invites.listInvites(sql, access.collectionId), {
      params: SharingModel.collectionParams,
      response: t.Array(SharingModel.invite),
      detail: { summary: 'Pending email invitations (address, role, sent, expires)', tags: ['sharing'] },
    })
    .post(
      '/:id/invites',
      async ({ auth, access, body, set }) => {
        const created = await invites.inviteByEmail(deps, access.collectionId, auth.userId, body.emails, body.role)
        set.status = 201
        return created
      },
      {
        params: SharingModel.collectionParams,
        body: SharingModel.inviteCreate,
        response: { 201: SharingModel.invitesCreated },
        detail: {
          summary: 'Invite addresses with a role; each gets an email with a single-use link valid 7 days',
          description: `At most ${invites.INVITES_PER_HOUR} addresses per person per hour (429 with Retry-After). Inviting an address again renews its invitation. The answer is the same whether or not an address has an account.`,
          tags: ['sharing'],
        },
      },
    )
    .post(
      '/:id/invites/:inviteId/resend',
      ({ auth, access, params }) => invites.resendInvite(deps, access.collectionId, auth.userId, params.inviteId),
      {
        params: SharingModel.inviteParams,
        response: SharingModel.invite,
        detail: { summary: 'Send the invitation again with a new link (the old one stops working) valid 7 more days', tags: ['sharing'] },
      },
    )
    .delete(
      '/:id/invites/:inviteId',
      async ({ auth, access, params, set }) => {
        await invites.revokeInvite(sql, access.collectionId, auth.userId, params.inviteId, 'email')
        set.status = 204
      },
      { params: SharingModel.inviteParams, detail: { summary: 'Revoke a pending invitation; its link then says so', tags: ['sharing'] } },
    )
    .get('/:id/links', ({ access }) => invites.listLinks(sql, access.collectionId), {
      params: SharingModel.collectionParams,
      response: t.Array(SharingModel.link),
      detail: { summary: 'Invitation links that are not revoked (their URLs are shown only when made)', tags: ['sharing'] },
    })
    .post(
      '/:id/links',
      async ({ auth, access, body, set }) => {
        const link = await invites.createLink(deps, access.collectionId, auth.userId, body)
        set.status = 201
        return link
      },
      {
        params: SharingModel.collectionParams,
        body: SharingModel.linkCreate,
        response: { 201: SharingModel.linkCreated },
        detail: {
          summary: 'Make a link anyone signed in can join with, as viewer or editor, with an optional expiry and number of uses',
          tags: ['sharing'],
        },
      },
    )
    .delete(
      '/:id/links/:linkId',
      async ({ auth, access, params, set }) => {
        await invites.revokeInvite(sql, access.collectionId, auth.userId, params.linkId, 'link')
        set.status = 204
      },
      { params: SharingModel.linkParams, detail: { summary: 'Revoke a link; opening it then says so', tags: ['sharing'] } },
    )
    .get('/:id/activity', ({ access, query }) => listActivity(sql, access.collectionId, query), {
      params: SharingModel.collectionParams,
      query: SharingModel.activityQuery,
      response: t.Object({ items: t.Array(SharingModel.activity), nextBefore: t.Nullable(t.Integer()) }),
      detail: { summary: 'Who joined, left, was invited, removed or changed role, newest first (`before` pages)', tags: ['sharing'] },
    })
}

/** The invitee's side: a link's preview (public), joining with it, and invitations to your address. */
export function invitationRoutes(deps: joining.JoinDeps) {
  const { sql } = deps
  return new Elysia({ name: 'invitations', prefix: '/api' })
    .use(authContext)
    .get('/join/:token', ({ params }) => joining.previewInvite(sql, params.token), {
      params: SharingModel.tokenParams,
      response: SharingModel.preview,
      detail: { summary: 'What an invitation link leads to, and whether it is still open (no sign-in needed)', tags: ['sharing'] },
    })
    .post('/join/:token', ({ auth, params }) => joining.acceptInviteToken(deps, auth.userId, params.token), {
      params: SharingModel.tokenParams,
      response: SharingModel.joined,
      detail: {
        summary: 'Join with an invitation link',
        description:
          'An email invitation is for the account with its address (accepting verifies that address); a link is for anyone signed in. Expired, revoked or used invitations answer 410.',
        tags: ['sharing'],
      },
    })
    .get('/invitations', ({ auth }) => joining.listMyInvitations(sql, auth.userId), {
      response: t.Array(SharingModel.invitation),
      detail: { summary: 'Open invitations to your verified email address', tags: ['sharing'] },
    })
    .post(
      '/invitations/:id/accept',
      async ({ auth, params }) => (await joining.answerInvitation(deps, auth.userId, params.id, 'accept'))!,
      {
        params: SharingModel.invitationParams,
        response: SharingModel.joined,
        detail: { summary: 'Accept an invitation to your verified address', tags: ['sharing'] },
      },
    )
    .post(
      '/invitations/:id/decline',
      async ({ auth, params, set }) => {
        await joining.answerInvitation(deps, auth.userId, params.id, 'decline')
        set.status = 204
      },
      { params: SharingModel.invitationParams, detail: { summary: 'Decline an invitation to your verified address', tags: ['sharing'] } },
    )
}
