import { expect, test } from 'bun:test'
import { createLogger } from './logger.ts'
import { createMailer, linksBlock } from './mailer.ts'

const email = {
  to: 'ada@example.com',
  subject: 'Confirm your email address',
  text: 'Hello,\n\nConfirm: http://localhost:3000/verify-email?token=abc_DEF-123.\nThanks',
}

test('in development without SMTP the links of an email are printed on lines of their own', async () => {
  const printed: string[] = []
  const logs: string[] = []
  const mailer = createMailer(
    { SMTP_URL: undefined, MAIL_FROM: 'x', NODE_ENV: 'development' },
    createLogger('info', {}, (l) => logs.push(l)),
    (t) => printed.push(t),
  )
  await mailer.send(email)
  expect(printed.join('')).toContain('\n  -> http://localhost:3000/verify-email?token=abc_DEF-123\n')
  expect(logs.join('')).toContain('verify-email')
})

test('tests and production print nothing extra', async () => {
  for (const NODE_ENV of ['test', 'production'] as const) {
    const printed: string[] = []
    await createMailer(
      { SMTP_URL: undefined, MAIL_FROM: 'x', NODE_ENV },
      createLogger('error', {}, () => {}),
      (t) => printed.push(t),
    ).send(email)
    expect(printed).toEqual([])
  }
})

test('an email without links prints nothing', () => {
  expect(linksBlock({ ...email, text: 'no links here' })).toBe('')
})
