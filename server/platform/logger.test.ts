import { describe, expect, test } from 'bun:test'
import { createLogger } from './logger.ts'

describe('logger', () => {
  test('writes one JSON object per line with the base fields', () => {
    const lines: string[] = []
    createLogger('info', { service: 'api' }, (l) => lines.push(l)).info('hello', { requestId: 'r1' })
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'hello', service: 'api', requestId: 'r1' })
  })

  test('drops entries below the level', () => {
    const lines: string[] = []
    const log = createLogger('warn', {}, (l) => lines.push(l))
    log.info('no')
    log.warn('yes')
    expect(lines).toHaveLength(1)
  })

  test('never writes secrets, whatever the field is called', () => {
    const lines: string[] = []
    const log = createLogger('debug', {}, (l) => lines.push(l))
    log.info('login', {
      password: 'hunter2hunter2',
      refreshToken: 'abc123',
      headers: { authorization: 'Bearer abc.def.ghi', cookie: '__Host-kt_session=xyz' },
      note: 'header was Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl',
      dsn: 'postgres://app:s3cret@db:5432/kt',
      msg2: 'connecting to postgres://app:s3cret@db:5432/kt',
      key: 'sk-ant-api03-abcdefghijklmnop',
    })
    const out = lines.join('\n')
    for (const secret of ['hunter2', 'abc123', 'abc.def.ghi', 'xyz', 'eyJhbGciOiJIUzI1NiJ9', 's3cret', 'sk-ant-api03'])
      expect(out).not.toContain(secret)
  })
})
