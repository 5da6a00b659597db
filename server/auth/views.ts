// Rows to API shapes.
import type { ProviderView, SessionView, UserView } from './model.ts'
import type { OAuthProvider } from './oauth.ts'
import type { SessionRow, UserRow } from './sql.ts'

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
