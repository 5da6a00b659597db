// GitHub's OAuth app endpoints and the two REST calls our callback makes.
// `authorize()` plays the user approving the app; the token route answers like
// github.com (errors come back as HTTP 200 with an `error` field), and the API
// routes only answer to an access token that the token route issued.
import { randomBytes } from 'node:crypto'
import recorded from './github.json'
import { basicCredentials, jsonResponse, type FetchRoute, type RecordedRequest } from './interceptFetch.ts'

export const GITHUB_AUTHORIZE_URL = 'https://github.com/login/oauth/authorize'
export const GITHUB_TOKEN_URL = 'https://github.com/login/oauth/access_token'

export type GitHubEmail = { email: string; primary: boolean; verified: boolean; visibility: 'public' | 'private' | null }
export type GitHubUser = { id: number; login: string; name: string | null; emails: GitHubEmail[] }

export type FakeGitHub = {
  routes: Record<string, FetchRoute>
  tokenRequests: RecordedRequest[]
  apiRequests: RecordedRequest[]
  authorize(url: URL, user: GitHubUser): string
}

export function fakeGitHub(client: { id: string; secret: string }): FakeGitHub {
  const codes = new Map<string, { redirectUri: string | null; user: GitHubUser }>()
  const tokens = new Map<string, GitHubUser>()
  const tokenRequests: RecordedRequest[] = []
  const apiRequests: RecordedRequest[] = []

  const token: FetchRoute = (req) => {
    tokenRequests.push(req)
    const form = new URLSearchParams(req.body)
    const auth = basicCredentials(req.headers) ?? { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' }
    if (auth.id !== client.id || auth.secret !== client.secret) return jsonResponse(200, recorded.errors.incorrectClientCredentials)
    const code = form.get('code') ?? ''
    const pending = codes.get(code)
    codes.delete(code)
    if (!pending) return jsonResponse(200, recorded.errors.badVerificationCode)
    if (pending.redirectUri !== null && form.get('redirect_uri') !== pending.redirectUri)
      return jsonResponse(200, recorded.errors.redirectUriMismatch)
    const accessToken = `gho_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`
    tokens.set(accessToken, pending.user)
    return jsonResponse(200, { ...recorded.tokenResponse, access_token: accessToken })
  }

  const api =
    (body: (user: GitHubUser) => unknown): FetchRoute =>
    (req) => {
      apiRequests.push(req)
      const m = /^(?:Bearer|token) (.+)$/.exec(req.headers.get('authorization') ?? '')
      const user = m ? tokens.get(m[1]!) : undefined
      if (!user) return jsonResponse(401, recorded.errors.badCredentials)
      return jsonResponse(200, body(user), recorded.headers)
    }

  return {
    routes: {
      [`POST ${GITHUB_TOKEN_URL}`]: token,
      'GET https://api.github.com/user': api((u) => ({ ...recorded.user, id: u.id, login: u.login, name: u.name })),
      'GET https://api.github.com/user/emails': api((u) => u.emails),
    },
    tokenRequests,
    apiRequests,
    authorize(url, user) {
      const code = randomBytes(10).toString('hex')
      codes.set(code, { redirectUri: url.searchParams.get('redirect_uri'), user })
      return code
    },
  }
}
