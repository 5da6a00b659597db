// Outgoing email over SMTP (nodemailer). Without SMTP_URL, outside production,
// messages are written to the log so `make dev` shows the links.
import nodemailer from 'nodemailer'
import type { Config } from './config.ts'
import type { Logger } from './logger.ts'

export type Email = { to: string; subject: string; text: string; html?: string }
export type Mailer = { send(email: Email): Promise<void> }

const LINK = /https?:\/\/[^\s<>"]+/g

/**
 * The links of an email as plain lines, for `make dev`: a verification link
 * inside a JSON log line is hard to find and easy to copy with a quote attached.
 */
export function linksBlock(email: Email): string {
  // A sentence's full stop is not part of its link.
  const links = (email.text.match(LINK) ?? []).map((l) => l.replace(/[.,;:!?)]+$/, ''))
  if (links.length === 0) return ''
  return `\n  Email to ${email.to}: ${email.subject}\n${links.map((l) => `  -> ${l}\n`).join('')}\n`
}

/** `print` receives the development link block (stdout unless a test passes its own). */
export function createMailer(
  config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'NODE_ENV'>,
  logger: Logger,
  print: (text: string) => void = (t) => process.stdout.write(t),
): Mailer {
  if (!config.SMTP_URL) {
    return {
      async send(email) {
        if (config.NODE_ENV === 'production') {
          logger.error('email not sent: SMTP_URL is not configured', { subject: email.subject })
          return
        }
        // Deliberately the whole text: in development this is how you click the link.
        logger.info('email (SMTP_URL not set, so it is printed instead of sent)', {
          to: email.to,
          subject: email.subject,
          body: email.text,
        })
        if (config.NODE_ENV === 'development') print(linksBlock(email))
      },
    }
  }
  const transport = nodemailer.createTransport(config.SMTP_URL)
  return {
    async send(email) {
      await transport.sendMail({ from: config.MAIL_FROM, to: email.to, subject: email.subject, text: email.text, html: email.html })
    },
  }
}
