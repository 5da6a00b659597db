// The invitation email. The same text goes to every address, account or not,
// so the mail itself never tells anyone whether an address is registered.
import type { Email } from '../platform/mailer.ts'

export const INVITE_TTL_DAYS = 7

export function inviteUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/invite/${encodeURIComponent(token)}`
}

export function invitationEmail(
  to: string,
  p: { publicUrl: string; token: string; inviterName: string; collectionName: string; role: string },
): Email {
  const link = inviteUrl(p.publicUrl, p.token)
  return {
    to,
    subject: `${p.inviterName} shared “${p.collectionName}” with you on KnowledgeTree`,
    text:
      `${p.inviterName} invited you to the collection “${p.collectionName}” on KnowledgeTree as ${p.role === 'editor' ? 'an editor' : 'a viewer'}.\n\n` +
      `Open this link to join (valid for ${INVITE_TTL_DAYS} days, once). Sign in, or create an account with this address:\n\n${link}\n\n` +
      `If you did not expect this, ignore this email.\n`,
  }
}
