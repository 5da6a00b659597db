// The pieces every configSpec part is built from: the shape of one variable's
// declaration, the parsers that turn its raw text into a value (throwing on
// anything else), and the registry of secret names ConfigError never echoes.

export type Parser<T> = (raw: string) => T

export type Spec<T> = {
  description: string
  allowed: string
  parse: Parser<T>
  secret?: boolean
} & ({ default: T; defaultText?: string } | { required: true } | { optional: true })

// Filled by config.ts from the assembled spec (every entry with `secret: true`).
export const SECRET_NAMES = new Set<string>()

export function redactIfSecret(name: string, value: string): string {
  return SECRET_NAMES.has(name) ? '<redacted>' : value
}

export const str: Parser<string> = (s) => s
export function int(min: number, max: number): Parser<number> {
  return (s) => {
    if (!/^-?\d+$/.test(s.trim())) throw new Error()
    const n = Number(s)
    if (n < min || n > max) throw new Error()
    return n
  }
}
export function num(min: number, max: number): Parser<number> {
  return (s) => {
    const n = Number(s)
    if (s.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new Error()
    return n
  }
}
export function oneOf<const T extends string>(...values: T[]): Parser<T> {
  return (s) => {
    if (!(values as string[]).includes(s)) throw new Error()
    return s as T
  }
}
export const bool: Parser<boolean> = (s) => {
  if (['1', 'true', 'yes', 'on'].includes(s.toLowerCase())) return true
  if (['0', 'false', 'no', 'off'].includes(s.toLowerCase())) return false
  throw new Error()
}
export const url: Parser<string> = (s) => {
  const u = new URL(s)
  if (!['http:', 'https:'].includes(u.protocol)) throw new Error()
  return s.replace(/\/+$/, '')
}
// A Sentry DSN: http(s)://<public key>@<host>[/<path>]/<project id>.
export const sentryDsn: Parser<string> = (s) => {
  const u = new URL(s)
  if (!['http:', 'https:'].includes(u.protocol) || !u.username || !/\/\d+$/.test(u.pathname)) throw new Error()
  return s
}
export const postgresUrl: Parser<string> = (s) => {
  const u = new URL(s)
  if (!['postgres:', 'postgresql:'].includes(u.protocol)) throw new Error()
  return s
}
export const smtpUrl: Parser<string> = (s) => {
  const u = new URL(s)
  if (!['smtp:', 'smtps:'].includes(u.protocol)) throw new Error()
  return s
}
export function minLength(n: number): Parser<string> {
  return (s) => {
    if (s.length < n) throw new Error()
    return s
  }
}

export const stripeKey: Parser<string> = (s) => {
  if (!/^(sk|rk)_(test|live)_\w+$/.test(s)) throw new Error()
  return s
}
export function prefixed(prefix: string): Parser<string> {
  return (s) => {
    if (!s.startsWith(prefix) || s.length < prefix.length + 8) throw new Error()
    return s
  }
}
export const planId: Parser<string> = (s) => {
  if (!/^[a-z0-9-]{1,30}$/.test(s)) throw new Error()
  return s
}
// Model ids, comma-separated (spaces allowed), none repeated.
export const modelList: Parser<string[]> = (s) => {
  const ids = s.split(',').map((m) => m.trim())
  if (ids.some((m) => !/^[\w.:@/-]{1,100}$/.test(m)) || new Set(ids).size !== ids.length) throw new Error()
  return ids
}
export const email: Parser<string> = (s) => {
  if (!/^[^\s@]+@[^\s@]+$/.test(s)) throw new Error()
  return s
}
