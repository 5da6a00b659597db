// Who the client is, for rate limits: only listed proxies may say.
import { describe, expect, test } from 'bun:test'
import { request } from '../../testing/testApp.ts'
import { createClientAddress, parseCidrList } from './clientAddress.ts'
import { ConfigError, loadConfig } from './config.ts'
import { createLogger } from './logger.ts'

function resolver(trusted: string) {
  const lines: string[] = []
  const logger = createLogger('debug', { service: 'test' }, (line) => lines.push(line))
  return { clientIp: createClientAddress(parseCidrList(trusted), logger), warnings: () => lines.filter((l) => l.includes('"warn"')) }
}
const from = (peer: string, headers: Record<string, string> = {}) => request('/api/auth/login', { method: 'POST', headers, peer })

describe('no trusted proxies (the default)', () => {
  test('a spoofed X-Forwarded-For is ignored: the socket address counts', () => {
    const { clientIp } = resolver('')
    expect(clientIp(from('198.51.100.7', { 'x-forwarded-for': '203.0.113.1' }))).toBe('198.51.100.7')
    expect(clientIp(from('198.51.100.7', { 'x-real-ip': '203.0.113.1' }))).toBe('198.51.100.7')
  })

  test('forwarded headers from an untrusted peer are warned about once, naming the fix', () => {
    const { clientIp, warnings } = resolver('')
    clientIp(from('127.0.0.1'))
    expect(warnings()).toHaveLength(0)
    clientIp(from('127.0.0.1', { 'x-forwarded-for': '203.0.113.1' }))
    clientIp(from('127.0.0.1', { forwarded: 'for=203.0.113.2' }))
    expect(warnings()).toHaveLength(1)
    expect(warnings()[0]).toContain('TRUSTED_PROXIES')
  })

  test('without a known socket the client is "unknown", never a header value', () => {
    const { clientIp } = resolver('0.0.0.0/0')
    expect(clientIp(request('/', { headers: { 'x-forwarded-for': '203.0.113.1' } }))).toBe('unknown')
  })
})

describe('behind trusted proxies', () => {
  test('the right-most address not in the list is the client; what the client wrote to the left is ignored', () => {
    const { clientIp, warnings } = resolver('127.0.0.1/32')
    // The attacker sent "X-Forwarded-For: 198.51.100.20" (the victim); nginx appended the real address.
    expect(clientIp(from('127.0.0.1', { 'x-forwarded-for': '198.51.100.20, 203.0.113.7' }))).toBe('203.0.113.7')
    expect(clientIp(from('127.0.0.1', { 'x-forwarded-for': '203.0.113.8' }))).toBe('203.0.113.8')
    expect(warnings()).toHaveLength(0)
  })

  test('a chain of listed proxies (load balancer -> nginx -> api) is walked through', () => {
    const { clientIp } = resolver('127.0.0.1/32, 10.0.0.0/8')
    expect(clientIp(from('127.0.0.1', { 'x-forwarded-for': '1.2.3.4, 203.0.113.9, 10.0.3.4' }))).toBe('203.0.113.9')
  })

  test('a direct connection from an unlisted host cannot pick its address', () => {
    const { clientIp } = resolver('127.0.0.1/32')
    expect(clientIp(from('203.0.113.50', { 'x-forwarded-for': '198.51.100.20' }))).toBe('203.0.113.50')
  })

  test('a request from the proxy host itself, without forwarding, is that host', () => {
    const { clientIp } = resolver('127.0.0.1/32')
    expect(clientIp(from('127.0.0.1'))).toBe('127.0.0.1')
  })

  test('a malformed hop stops the walk at the last address a listed proxy vouched for', () => {
    const { clientIp } = resolver('127.0.0.1/32')
    expect(clientIp(from('127.0.0.1', { 'x-forwarded-for': '203.0.113.1, not-an-ip' }))).toBe('127.0.0.1')
  })

  test('IPv6 ranges and IPv4-mapped addresses', () => {
    const { clientIp } = resolver('::1, fd00::/8, 127.0.0.1')
    expect(clientIp(from('::1', { 'x-forwarded-for': '2001:db8::5, fd12::1' }))).toBe('2001:db8::5')
    expect(clientIp(from('::ffff:127.0.0.1', { 'x-forwarded-for': '::ffff:203.0.113.4' }))).toBe('203.0.113.4')
  })
})

describe('TRUSTED_PROXIES configuration', () => {
  test('addresses and ranges parse; anything else stops the process naming the variable', () => {
    expect(loadConfig({ TRUSTED_PROXIES: '127.0.0.1/32, ::1' }).TRUSTED_PROXIES).toEqual([
      { address: '127.0.0.1', prefix: 32, family: 'ipv4' },
      { address: '::1', prefix: 128, family: 'ipv6' },
    ])
    expect(loadConfig({}).TRUSTED_PROXIES).toEqual([])
    for (const bad of ['true', '127.0.0.1/33', '10.0.0.0/8/1', 'localhost', '::1/129', '1.2.3.4/x'])
      expect(() => loadConfig({ TRUSTED_PROXIES: bad })).toThrow(ConfigError)
  })

  test('the retired TRUST_PROXY boolean is refused rather than silently ignored', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUSTED_PROXIES/)
  })
})
