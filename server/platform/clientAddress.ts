// The client's IP address, as far as this process can vouch for it. Rate
// limits key on it, so both mistakes are attacks: trusting X-Forwarded-For
// from anyone lets a client pick its address (and dodge every per-IP limit);
// trusting no proxy behind nginx makes every client 127.0.0.1 (so five bad
// passwords from anyone lock everyone out). Only peers listed in
// TRUSTED_PROXIES may speak for the client, and of the forwarded hops the
// right-most one that is not itself a trusted proxy is the client.
import { BlockList, isIP } from 'node:net'
import type { Logger } from './logger.ts'
import { socketIp } from './requestContext.ts'

export type Cidr = { address: string; prefix: number; family: 'ipv4' | 'ipv6' }
export type ClientAddress = (request: Request) => string

const FORWARDING_HEADERS = ['x-forwarded-for', 'x-real-ip', 'forwarded'] as const

/** `a.b.c.d` for an IPv4-mapped IPv6 address, so one client has one key. */
function normalise(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  return mapped ? mapped[1]! : ip
}

/** Parses `127.0.0.1/32, 10.0.0.0/8, ::1` (a bare address is a single host); throws on anything else. */
export function parseCidrList(raw: string): Cidr[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [address = '', prefixText, extra] = entry.split('/')
      const version = isIP(address)
      if (!version || extra !== undefined) throw new Error(`not an IP address or CIDR range: ${entry}`)
      const max = version === 4 ? 32 : 128
      if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) throw new Error(`bad prefix length: ${entry}`)
      const prefix = prefixText === undefined ? max : Number(prefixText)
      if (prefix > max) throw new Error(`prefix longer than ${max}: ${entry}`)
      return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' }
    })
}

export function createClientAddress(trustedProxies: readonly Cidr[], logger?: Logger): ClientAddress {
  const trusted = new BlockList()
  for (const c of trustedProxies) trusted.addSubnet(c.address, c.prefix, c.family)
  const isTrusted = (ip: string) => trusted.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4')
  let warned = false

  return (request) => {
    const raw = socketIp(request)
    if (!raw || !isIP(raw)) return 'unknown'
    const peer = normalise(raw)
    if (!isTrusted(peer)) {
      if (!warned && FORWARDING_HEADERS.some((h) => request.headers.has(h))) {
        warned = true
        logger?.warn('forwarded-for headers from a peer not in TRUSTED_PROXIES are ignored (logged once)', {
          peer,
          fix: 'if a proxy is in front, add its address to TRUSTED_PROXIES (e.g. 127.0.0.1/32)',
        })
      }
      return peer
    }
    const forwarded = request.headers.get('x-forwarded-for') ?? request.headers.get('x-real-ip') ?? ''
    const hops = forwarded.split(',').map((h) => h.trim())
    let client = peer
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normalise(hops[i]!)
      // A malformed hop: nothing left of it can be vouched for.
      if (!isIP(hop)) break
      client = hop
      if (!isTrusted(hop)) break
    }
    return client
  }
}
