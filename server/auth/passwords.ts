// Password policy and hashing. argon2id with OWASP's minimum parameters
// (19 MiB, 2 iterations); common passwords come from zxcvbn-ts's frequency list
// of leaked passwords (@zxcvbn-ts/language-common, ~49k entries, MIT).
import { dictionary } from '@zxcvbn-ts/language-common'
import { UnprocessableError } from '../platform/errors.ts'

export const PASSWORD_MIN_LENGTH = 8
export const PASSWORD_MAX_LENGTH = 256
export const ARGON2_MEMORY_KIB = 19_456
export const ARGON2_TIME_COST = 2

const COMMON = new Set<string>((dictionary as Record<string, string[]>)['passwords-common'] ?? [])
if (COMMON.size < 10_000) throw new Error('the common-password list failed to load')

export function commonPasswordCount(): number {
  return COMMON.size
}

export function checkPasswordPolicy(password: string, email?: string): void {
  const length = [...password].length
  if (length < PASSWORD_MIN_LENGTH)
    throw new UnprocessableError('password_too_short', `Use at least ${PASSWORD_MIN_LENGTH} characters.`, { field: 'password' })
  if (length > PASSWORD_MAX_LENGTH)
    throw new UnprocessableError('password_too_long', `Use at most ${PASSWORD_MAX_LENGTH} characters.`, { field: 'password' })
  const lower = password.toLowerCase()
  if (COMMON.has(lower) || (email && lower === email.toLowerCase()))
    throw new UnprocessableError('password_too_common', 'This password appears in lists of leaked passwords. Choose another one.', {
      field: 'password',
    })
}

export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: 'argon2id', memoryCost: ARGON2_MEMORY_KIB, timeCost: ARGON2_TIME_COST })
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await Bun.password.verify(password, hash)
  } catch {
    return false
  }
}

// Hashed once per process: verifying against it costs the same as a real
// verification, so an unknown email takes as long as a wrong password.
let dummyHash: Promise<string> | null = null
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(crypto.randomUUID())
  await verifyPassword(password, await dummyHash)
  return false
}

export function normaliseEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase()
}
