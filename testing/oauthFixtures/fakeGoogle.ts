// Google's authorization server as our callback sees it: `authorize()` plays the
// user consenting on accounts.google.com and returns the code Google would put
// on the redirect; the token route checks client auth, redirect_uri and the PKCE
// verifier the way oauth2.googleapis.com does and answers with recorded shapes.
import { randomBytes } from 'node:crypto'
import { generateKeyPair, SignJWT } from 'jose'
import recorded from './google.json'
import { basicCredentials, jsonResponse, type FetchRoute, type RecordedRequest } from './interceptFetch.ts'
import { s256 } from './oauthFlow.ts'

export const GOOGLE_AUTHORIZE_URL = 'https://accounts.google.com/o/oauth2/v2/auth'
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token'

export type GoogleUser = { sub: string; email: string; emailVerified: boolean; givenName: string; familyName: string }
type PendingCode = { clientId: string; redirectUri: string; challenge: string; nonce: string | null; claims: Record<string, unknown> }

export type FakeGoogle = {
  routes: Record<string, FetchRoute>
  tokenRequests: RecordedRequest[]
  /** Consents as `user` to the authorization request at `url`; `claims` override the ID token's. */
  authorize(url: URL, user: GoogleUser, claims?: Record<string, unknown>): string
}

export async function fakeGoogle(client: { id: string; secret: string }): Promise<FakeGoogle> {
  // Arctic only decodes Google's ID token, but it should still look like one.
  const { privateKey } = await generateKeyPair('RS256')
  const kid = randomBytes(20).toString('hex')
  const codes = new Map<string, PendingCode>()
  const tokenRequests: RecordedRequest[] = []
  const answer = (status: number, body: unknown) => jsonResponse(status, body, recorded.headers)

  const token: FetchRoute = async (req) => {
    tokenRequests.push(req)
    const form = new URLSearchParams(req.body)
    const auth = basicCredentials(req.headers) ?? { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' }
    if (auth.id !== client.id || auth.secret !== client.secret) return answer(401, recorded.errors.invalidClient)
    const code = form.get('code') ?? ''
    const pending = codes.get(code)
    codes.delete(code) // single use, like Google
    if (form.get('grant_type') !== 'authorization_code' || !pending || pending.clientId !== auth.id)
      return answer(400, recorded.errors.invalidGrant)
    if (form.get('redirect_uri') !== pending.redirectUri) return answer(400, recorded.errors.redirectUriMismatch)
    const verifier = form.get('code_verifier')
    if (!verifier || s256(verifier) !== pending.challenge) return answer(400, recorded.errors.invalidGrant)
    const now = Math.floor(Date.now() / 1000)
    const idToken = await new SignJWT({
      ...recorded.idTokenClaims,
      azp: client.id,
      aud: client.id,
      nonce: pending.nonce ?? undefined,
      iat: now,
      exp: now + 3600,
      ...pending.claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .sign(privateKey)
    return answer(200, { ...recorded.tokenResponse, id_token: idToken })
  }

  return {
    routes: { [`POST ${GOOGLE_TOKEN_URL}`]: token },
    tokenRequests,
    authorize(url, user, claims = {}) {
      const challenge = url.searchParams.get('code_challenge')
      if (url.searchParams.get('code_challenge_method') !== 'S256' || !challenge)
        throw new Error('fakeGoogle: the authorization request has no S256 code challenge')
      const code = `4/0A${randomBytes(36).toString('base64url')}`
      codes.set(code, {
        clientId: url.searchParams.get('client_id') ?? '',
        redirectUri: url.searchParams.get('redirect_uri') ?? '',
        challenge,
        nonce: url.searchParams.get('nonce'),
        claims: {
          sub: user.sub,
          email: user.email,
          email_verified: user.emailVerified,
          name: `${user.givenName} ${user.familyName}`,
          given_name: user.givenName,
          family_name: user.familyName,
          ...claims,
        },
      })
      return code
    },
  }
}
