// Rows to API shapes.
import type { ProviderView, SessionView, UserView } from './model.ts'
import type { OAuthProvider } from './oauth.ts'
import type { SessionRow, UserRow } from './sql.ts'

/** The answer to a request that queues account email: the same whether or not the address has an account. */
export const ACCEPTED = { message: 'If the address can receive email, a message is on its way. Check your inbox.' }

export function userView(u: UserRow): UserView {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    emailVerified: u.emailVerifiedAt !== null,
    createdAt: u.createdAt.toISOString(),
  }
}

export function sessionView(s: SessionRow, currentSessionId: string | null): SessionView {
  return {
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastUsedAt: s.lastUsedAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    userAgent: s.userAgent,
    ip: s.ip,
    current: s.id === currentSessionId,
  }
}

export function providerView(p: OAuthProvider): ProviderView {
  return { id: p.id, label: p.label, startUrl: `/api/auth/oauth/${p.id}/start` }
}
