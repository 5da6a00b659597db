// Routes of the sharing capability: the members of a collection, their roles,
// leaving and ownership transfer. Who may call each is in the role matrix
// (collections/accessRules.ts), checked by the access guard first.
import { Elysia, t } from 'elysia'
import { authContext } from '../auth/guard.ts'
import { accessContext } from '../collections/accessGuard.ts'
import type { Sql } from '../platform/db.ts'
import * as members from './members.ts'
import { SharingModel } from './model.ts'

export function sharingRoutes(deps: { sql: Sql }) {
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
      { params: SharingModel.memberParams, body: SharingModel.roleChange, response: t.Array(SharingModel.member), detail: { summary: 'Change a member’s role (editor or viewer)', tags: ['sharing'] } },
    )
    .delete(
      '/:id/members/:userId',
      async ({ auth, access, params, set }) => {
        await members.removeMember(sql, access.collectionId, auth.userId, params.userId)
        set.status = 204
      },
      { params: SharingModel.memberParams, detail: { summary: 'Remove a member; their access, open streams included, ends at once', tags: ['sharing'] } },
    )
    .post(
      '/:id/leave',
      async ({ auth, access, set }) => {
        await members.leave(sql, access.collectionId, auth.userId)
        set.status = 204
      },
      { params: SharingModel.collectionParams, detail: { summary: 'Leave a collection shared with you (the owner cannot leave)', tags: ['sharing'] } },
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
}
