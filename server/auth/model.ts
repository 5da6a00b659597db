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
  oauthStartQuery: t.Object({ returnTo: t.Optional(t.String({ maxLength: 2000 })) }),
  oauthCallbackQuery: t.Object({
    code: t.Optional(t.String({ maxLength: 4000 })),
    state: t.Optional(t.String({ maxLength: 500 })),
    error: t.Optional(t.String({ maxLength: 500 })),
  }),
}

export type UserView = typeof AuthModel.user.static
export type SessionView = typeof AuthModel.session.static
export type ProviderView = typeof AuthModel.provider.static
