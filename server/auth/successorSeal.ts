// A rotated refresh token keeps its successor, sealed with a key that only the
// holder of the rotated token can derive (HKDF of the token itself; the
// database stores only the token's SHA-256). Inside the grace window, a second
// presentation of the old token (two tabs refreshing at once, a retried
// request whose answer was lost) gets that same successor back, so a session
// never has two live chains and reuse detection still sees every fork.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const INFO = 'knowledgetree refresh-token successor v1'
const IV_BYTES = 12
const TAG_BYTES = 16

function keyFor(presented: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(presented, 'utf8'), Buffer.alloc(0), INFO, 32))
}

/** AES-256-GCM: iv ‖ tag ‖ ciphertext. */
export function sealSuccessor(presented: string, successor: string): Buffer {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', keyFor(presented), iv)
  const body = Buffer.concat([cipher.update(successor, 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body])
}

/** The successor sealed for `presented`, or null when the seal does not open with it. */
export function openSuccessor(presented: string, sealed: Buffer): string | null {
  if (sealed.length <= IV_BYTES + TAG_BYTES) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(presented), sealed.subarray(0, IV_BYTES))
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
  } catch {
    return null
  }
}
