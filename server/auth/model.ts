// Request and response schemas of the auth routes.
import { t } from 'elysia'

const Email = t.String({ format: 'email', maxLength: 320, error: 'must be an email address' })
// The policy (length, common passwords) is checked in the service with clearer messages.
const Password = t.String({ minLength: 1, maxLength: 1024 })

export const AuthModel = {
  signup: t.Object({ email: Email, password: Password, displayName: t.Optional(t.String({ maxLength: 200 })) }),
  login: t.Object({
    email: Email,
    password: Password,
    mode: t.Optional(
      t.Union([t.Literal('cookie'), t.Literal('token')], {
        description: '`token` returns the tokens in the body (API clients) instead of setting cookies.',
      }),
    ),
  }),
  refresh: t.Optional(t.Object({ refreshToken: t.Optional(t.String({ maxLength: 200 })) })),
  token: t.Object({ token: t.String({ minLength: 1, maxLength: 200 }) }),
  resetRequest: t.Object({ email: Email }),
  resetConfirm: t.Object({ token: t.String({ minLength: 1, maxLength: 200 }), password: Password }),
  user: t.Object({ id: t.String(), email: t.String(), displayName: t.String(), emailVerified: t.Boolean(), createdAt: t.String() }),
  provider: t.Object({ id: t.String(), label: t.String(), startUrl: t.String() }),
  session: t.Object({
    id: t.String(),
    createdAt: t.String(),
    lastUsedAt: t.String(),
    expiresAt: t.String(),
    userAgent: t.Nullable(t.String()),
    ip: t.Nullable(t.String()),
    current: t.Boolean(),
  }),
  accepted: t.Object({ message: t.String() }),
  verified: t.Object({
    message: t.String(),
    alreadyVerified: t.Boolean({ description: 'The link was used before and the address is confirmed: nothing changed.' }),
  }),
  profile: t.Object({ displayName: t.String({ minLength: 1, maxLength: 200 }) }),
  passwordChange: t.Object({ currentPassword: t.Optional(Password), newPassword: Password }),
  passwordChanged: t.Object({ message: t.String(), endedSessions: t.Integer() }),
  deletion: t.Object({
    password: t.Optional(Password),
    email: t.Optional(t.String({ maxLength: 320, description: 'Accounts without a password confirm with their address.' })),
  }),
  deletionSummary: t.Object({
    hasPassword: t.Boolean(),
    renewingSubscription: t.Boolean({ description: 'A paid plan that renews: cancel it before deleting the account.' }),
    ownedCollections: t.Array(t.Object({ id: t.String(), name: t.String(), videoCount: t.Integer(), otherMembers: t.Integer() })),
    memberOf: t.Array(t.Object({ id: t.String(), name: t.String(), ownerName: t.String() })),
  }),
  oauthStartQuery: t.Object({ returnTo: t.Optional(t.String({ maxLength: 2000 })) }),
  oauthCallbackQuery: t.Object({
    code: t.Optional(t.String({ maxLength: 4000 })),
    state: t.Optional(t.String({ maxLength: 500 })),
    error: t.Optional(t.String({ maxLength: 500 })),
  }),
}

export type UserView = typeof AuthModel.user.static
export type DeletionSummary = typeof AuthModel.deletionSummary.static
export type SessionView = typeof AuthModel.session.static
export type ProviderView = typeof AuthModel.provider.static
