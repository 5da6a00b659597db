// The texts of account emails. Links point at web-app pages, which POST the
// token: a GET never changes state, so mail scanners that prefetch links are harmless.
import type { Email } from '../platform/mailer.ts'

export function verificationEmail(to: string, publicUrl: string, token: string): Email {
  const link = `${publicUrl}/verify-email?token=${encodeURIComponent(token)}`
  return {
    to,
    subject: 'Verify your KnowledgeTree email address',
    text: `Welcome to KnowledgeTree.\n\nConfirm that this is your address by opening this link (valid for 24 hours):\n\n${link}\n\nIf you did not sign up, ignore this email.\n`,
  }
}

export function alreadyRegisteredEmail(to: string, publicUrl: string): Email {
  return {
    to,
    subject: 'You already have a KnowledgeTree account',
    text: `Someone (hopefully you) tried to sign up with this address, but it already has an account.\n\nSign in: ${publicUrl}/login\nForgot your password? ${publicUrl}/reset-password\n\nIf it was not you, you can ignore this email.\n`,
  }
}

export function passwordResetEmail(to: string, publicUrl: string, token: string): Email {
  const link = `${publicUrl}/reset-password?token=${encodeURIComponent(token)}`
  return {
    to,
    subject: 'Reset your KnowledgeTree password',
    text: `Open this link to choose a new password (valid for 1 hour, once):\n\n${link}\n\nResetting your password signs you out everywhere. If you did not ask for this, ignore this email: your password stays the same.\n`,
  }
}
