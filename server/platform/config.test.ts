import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { ConfigError, configSpec, estimateSecretBits, loadConfig } from './config.ts'

const REPO = join(import.meta.dir, '..', '..')

describe('config', () => {
  test('defaults apply when nothing is set', () => {
    const c = loadConfig({})
    expect(c.PORT).toBe(3000)
    expect(c.PUBLIC_URL).toBe('http://localhost:3000')
    expect(c.DATABASE_URL).toBeUndefined()
  })

  test('PUBLIC_URL follows PORT unless set', () => {
    expect(loadConfig({ PORT: '8080' }).PUBLIC_URL).toBe('http://localhost:8080')
    expect(loadConfig({ PORT: '8080', PUBLIC_URL: 'https://kt.example.com/' }).PUBLIC_URL).toBe('https://kt.example.com')
  })

  test.each([
    ['PORT', 'abc', 'an integer from 0 to 65535'],
    ['PORT', '70000', 'an integer from 0 to 65535'],
    ['LOG_LEVEL', 'loud', 'debug, info, warn or error'],
    ['DATABASE_URL', 'mysql://x', 'a postgres:// URL'],
    ['PUBLIC_URL', 'not a url', 'an http(s) URL'],
    ['JWT_SECRET', 'short', 'a string of at least 32 characters'],
  ])('%s=%s is rejected with what is allowed', (name, value, allowed) => {
    const err = (() => {
      try {
        loadConfig({ [name]: value })
      } catch (e) {
        return e
      }
    })() as ConfigError
    expect(err).toBeInstanceOf(ConfigError)
    expect(err.message).toContain(name)
    expect(err.message).toContain(allowed)
  })

  test('secret values are never echoed in the message', () => {
    expect(() => loadConfig({ JWT_SECRET: 'hunter2' })).toThrow(/<redacted>/)
    expect(() => loadConfig({ JWT_SECRET: 'hunter2' })).not.toThrow(/hunter2/)
  })

  test('production requires a JWT secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/)
  })

  test('the api exits non-zero naming a bad variable', async () => {
    const proc = Bun.spawn([process.execPath, join(REPO, 'server/main.ts')], {
      env: { ...process.env, PORT: 'eighty' },
      stderr: 'pipe',
      stdout: 'pipe',
    })
    const code = await proc.exited
    const stderr = await new Response(proc.stderr).text()
    expect(code).toBe(78)
    expect(stderr).toContain('PORT')
    expect(stderr).toContain('an integer from 0 to 65535')
  })

  test('the README configuration table lists every variable', async () => {
    const readme = await Bun.file(join(REPO, 'README.md')).text()
    for (const name of Object.keys(configSpec)) expect(readme).toContain(`| \`${name}\``)
  })
})

describe('production safety', () => {
  const prod = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/kt' }
  test('a JWT_SECRET with too little entropy is refused (without echoing it)', () => {
    for (const weak of ['a'.repeat(40), 'ab'.repeat(20), 'password-'.repeat(5), '0123456789abcdef'.repeat(3)]) {
      expect(() => loadConfig({ ...prod, JWT_SECRET: weak })).toThrow(/JWT_SECRET.*too predictable/)
      expect(() => loadConfig({ ...prod, JWT_SECRET: weak })).not.toThrow(new RegExp(weak.slice(0, 12)))
    }
    expect(loadConfig({ ...prod, JWT_SECRET: 'u0Qm3w9Zq7LrT1cV5xB8nH2kJ6pY4sD0fG3aE7iO1uR9' }).JWT_SECRET).toBeString()
    expect(
      estimateSecretBits(
        crypto.getRandomValues(new Uint8Array(48)).toBase64?.() ??
          Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString('base64'),
      ),
    ).toBeGreaterThan(200)
    // Outside production a weak development secret is left alone.
    expect(loadConfig({ JWT_SECRET: 'a'.repeat(40) }).JWT_SECRET).toBe('a'.repeat(40))
  })

  test('production refuses the embedded database unless explicitly allowed', () => {
    const secret = 'u0Qm3w9Zq7LrT1cV5xB8nH2kJ6pY4sD0fG3aE7iO1uR9'
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret })).toThrow(/DATABASE_URL.*ALLOW_EMBEDDED_DB_IN_PRODUCTION/)
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, ALLOW_EMBEDDED_DB_IN_PRODUCTION: 'true' }).DATABASE_URL).toBeUndefined()
  })
})

test('the docs page defaults to off in production and on elsewhere', () => {
  expect(loadConfig({}).API_DOCS).toBeUndefined()
  expect(loadConfig({ API_DOCS: 'on' }).API_DOCS).toBe(true)
})
