// Sign-in with Google, GitHub and any OpenID Connect provider. This is the only
// file that imports Arctic (pinned at 3.7.0, its last release), so replacing it
// later touches nothing else. Arctic does the authorization-code + PKCE
// exchanges; ID tokens from a generic OIDC provider are verified here with jose
// against the provider's JWKS (signature, iss, aud, exp) plus our nonce.
import { CodeChallengeMethod, decodeIdToken, generateCodeVerifier, generateState, GitHub, Google, OAuth2Client } from 'arctic'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import type { Config } from '../platform/config.ts'
import { AppError } from '../platform/errors.ts'
import type { ExternalIdentity } from './service.ts'

export type ProviderId = 'google' | 'github' | 'oidc'
export type OAuthStart = { url: URL; state: string; codeVerifier: string | null; nonce: string | null }
export type OAuthProvider = {
  id: ProviderId
  label: string
  start(): Promise<OAuthStart>
  finish(code: string, saved: { codeVerifier: string | null; nonce: string | null }): Promise<ExternalIdentity>
}

export class OAuthCallbackError extends AppError {
  constructor(detail: string, options: { cause?: unknown } = {}) {
    super(400, 'oauth_callback_failed', 'Sign-in failed', `${detail} Start the sign-in again.`, options)
  }
}

// Outside JSON is untrusted: read it field by field.
function field(obj: unknown, key: string): unknown {
  return obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined
}
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null)
const strOrNum = (v: unknown): string | null => (typeof v === 'number' ? String(v) : str(v))

function newNonce(): string {
  return generateState()
}

function redirectUri(config: Config, id: ProviderId): string {
  return `${config.PUBLIC_URL}/api/auth/oauth/${id}/callback`
}

const GOOGLE_ISSUERS = new Set(['https://accounts.google.com', 'accounts.google.com'])

function googleProvider(config: Config): OAuthProvider {
  const clientId = config.GOOGLE_CLIENT_ID!
  const google = new Google(clientId, config.GOOGLE_CLIENT_SECRET!, redirectUri(config, 'google'))
  return {
    id: 'google',
    label: 'Google',
    async start() {
      const state = generateState()
      const codeVerifier = generateCodeVerifier()
      const nonce = newNonce()
      const url = google.createAuthorizationURL(state, codeVerifier, ['openid', 'email', 'profile'])
      url.searchParams.set('nonce', nonce)
      url.searchParams.set('prompt', 'select_account')
      return { url, state, codeVerifier, nonce }
    },
    async finish(code, saved) {
      if (!saved.codeVerifier) throw new OAuthCallbackError('The sign-in was missing its PKCE verifier.')
      const tokens = await google.validateAuthorizationCode(code, saved.codeVerifier)
      // The ID token came straight from Google's token endpoint over TLS, so its
      // signature need not be checked (OIDC Core 3.1.3.7); its claims still are.
      const claims = decodeIdToken(tokens.idToken()) as Record<string, unknown>
      const exp = field(claims, 'exp')
      if (!GOOGLE_ISSUERS.has(String(field(claims, 'iss'))))
        throw new OAuthCallbackError('Google returned a token from an unexpected issuer.')
      if (field(claims, 'aud') !== clientId) throw new OAuthCallbackError('Google returned a token for another application.')
      if (typeof exp !== 'number' || exp * 1000 < Date.now()) throw new OAuthCallbackError('Google returned an expired token.')
      if (saved.nonce && field(claims, 'nonce') !== saved.nonce)
        throw new OAuthCallbackError('Google returned a token for another sign-in.')
      const subject = str(field(claims, 'sub'))
      if (!subject) throw new OAuthCallbackError('Google did not say who you are.')
      return {
        provider: 'google',
        subject,
        email: str(field(claims, 'email')),
        emailVerified: field(claims, 'email_verified') === true,
        displayName: str(field(claims, 'name')),
      }
    },
  }
}

function githubProvider(config: Config, fetchImpl: typeof fetch): OAuthProvider {
  const github = new GitHub(config.GITHUB_CLIENT_ID!, config.GITHUB_CLIENT_SECRET!, redirectUri(config, 'github'))
  const api = async (path: string, token: string): Promise<unknown> => {
    const res = await fetchImpl(`https://api.github.com${path}`, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.github+json',
        'user-agent': 'KnowledgeTree',
        'x-github-api-version': '2022-11-28',
      },
    })
    if (!res.ok) throw new OAuthCallbackError(`GitHub answered ${res.status} when asked for your profile.`)
    return res.json()
  }
  return {
    id: 'github',
    label: 'GitHub',
    async start() {
      const state = generateState()
      return { url: github.createAuthorizationURL(state, ['read:user', 'user:email']), state, codeVerifier: null, nonce: null }
    },
    async finish(code) {
      const tokens = await github.validateAuthorizationCode(code)
      const accessToken = tokens.accessToken()
      const [user, emails] = await Promise.all([api('/user', accessToken), api('/user/emails', accessToken)])
      const subject = strOrNum(field(user, 'id'))
      if (!subject) throw new OAuthCallbackError('GitHub did not say who you are.')
      // Only the primary address, and only if GitHub has verified it.
      const primary = Array.isArray(emails) ? emails.find((e) => field(e, 'primary') === true && field(e, 'verified') === true) : undefined
      return {
        provider: 'github',
        subject,
        email: str(field(primary, 'email')),
        emailVerified: primary !== undefined,
        displayName: str(field(user, 'name')) ?? str(field(user, 'login')),
      }
    },
  }
}

type Discovery = {
  issuer: string
  authorizationEndpoint: string
  tokenEndpoint: string
  userinfoEndpoint: string | null
  jwks: ReturnType<typeof createRemoteJWKSet>
}

function oidcProvider(config: Config, fetchImpl: typeof fetch): OAuthProvider {
  const issuer = config.OIDC_ISSUER!
  const clientId = config.OIDC_CLIENT_ID!
  // RFC 6749 2.3.1: credentials in HTTP Basic are form-urlencoded first; Arctic
  // sends them raw, which breaks secrets containing + / = % :.
  const formEncode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+')
  const client = new OAuth2Client(formEncode(clientId), formEncode(config.OIDC_CLIENT_SECRET!), redirectUri(config, 'oidc'))
  let cached: { at: number; discovery: Promise<Discovery> } | null = null

  const discover = (): Promise<Discovery> => {
    if (cached && Date.now() - cached.at < 3600_000) return cached.discovery
    const discovery = (async () => {
      const res = await fetchImpl(`${issuer}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } })
      if (!res.ok) throw new Error(`discovery answered ${res.status}`)
      const doc: unknown = await res.json()
      const iss = str(field(doc, 'issuer'))
      const authorizationEndpoint = str(field(doc, 'authorization_endpoint'))
      const tokenEndpoint = str(field(doc, 'token_endpoint'))
      const jwksUri = str(field(doc, 'jwks_uri'))
      if (!iss || !authorizationEndpoint || !tokenEndpoint || !jwksUri) throw new Error('discovery document is missing endpoints')
      // OIDC Discovery 4.3: the document must be for the issuer we were configured with.
      if (iss.replace(/\/+$/, '') !== issuer) throw new Error(`discovery issuer ${iss} does not match OIDC_ISSUER`)
      return {
        issuer: iss,
        authorizationEndpoint,
        tokenEndpoint,
        userinfoEndpoint: str(field(doc, 'userinfo_endpoint')),
        jwks: createRemoteJWKSet(new URL(jwksUri)),
      }
    })()
    cached = { at: Date.now(), discovery }
    discovery.catch(() => (cached = null))
    return discovery
  }

  return {
    id: 'oidc',
    label: config.OIDC_NAME,
    async start() {
      const d = await discover().catch((cause) => {
        throw new AppError(
          502,
          'oidc_unavailable',
          'Single sign-on unavailable',
          'The single sign-on provider could not be reached. Try again later.',
          { cause },
        )
      })
      const state = generateState()
      const codeVerifier = generateCodeVerifier()
      const nonce = newNonce()
      const url = client.createAuthorizationURLWithPKCE(d.authorizationEndpoint, state, CodeChallengeMethod.S256, codeVerifier, [
        'openid',
        'email',
        'profile',
      ])
      url.searchParams.set('nonce', nonce)
      return { url, state, codeVerifier, nonce }
    },
    async finish(code, saved) {
      if (!saved.codeVerifier || !saved.nonce) throw new OAuthCallbackError('The sign-in was missing its PKCE verifier or nonce.')
      const d = await discover()
      const tokens = await client.validateAuthorizationCode(d.tokenEndpoint, code, saved.codeVerifier)
      let claims: Record<string, unknown>
      try {
        ;({ payload: claims } = await jwtVerify(tokens.idToken(), d.jwks, {
          issuer: d.issuer,
          audience: clientId,
          clockTolerance: 30,
          requiredClaims: ['sub', 'exp', 'iat'],
        }))
      } catch (cause) {
        throw new OAuthCallbackError('The identity provider returned an ID token that did not verify.', { cause })
      }
      if (field(claims, 'nonce') !== saved.nonce) throw new OAuthCallbackError('The ID token belongs to another sign-in (nonce mismatch).')
      const subject = String(field(claims, 'sub'))
      let profile: Record<string, unknown> = claims
      // OIDC Core 5.4: in the code flow a provider may return email and name only
      // from the UserInfo endpoint, which must then describe the same subject (5.3.2).
      if (!str(field(claims, 'email')) && d.userinfoEndpoint) {
        const res = await fetchImpl(d.userinfoEndpoint, {
          headers: { authorization: `Bearer ${tokens.accessToken()}`, accept: 'application/json' },
        })
        if (!res.ok) throw new OAuthCallbackError(`The identity provider answered ${res.status} when asked for your profile.`)
        const info: unknown = await res.json()
        if (field(info, 'sub') !== subject) throw new OAuthCallbackError('The identity provider described another user.')
        profile = { ...claims, ...(info as Record<string, unknown>) }
      }
      return {
        provider: `oidc:${d.issuer}`,
        subject,
        email: str(field(profile, 'email')),
        emailVerified: field(profile, 'email_verified') === true,
        displayName: str(field(profile, 'name')) ?? str(field(profile, 'preferred_username')),
      }
    },
  }
}

/** The providers whose credentials are configured; nothing else is offered. */
export function configuredProviders(config: Config, options: { fetch?: typeof fetch } = {}): Map<ProviderId, OAuthProvider> {
  const f = options.fetch ?? ((input, init) => fetch(input, init))
  const out = new Map<ProviderId, OAuthProvider>()
  if (config.GOOGLE_CLIENT_ID && config.GOOGLE_CLIENT_SECRET) out.set('google', googleProvider(config))
  if (config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET) out.set('github', githubProvider(config, f as typeof fetch))
  if (config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET) out.set('oidc', oidcProvider(config, f as typeof fetch))
  return out
}

/** Wraps what Arctic throws (bad code, provider error bodies) as a 400 to start again. */
export function asCallbackError(err: unknown): AppError {
  if (err instanceof AppError) return err
  return new OAuthCallbackError('The provider did not accept the sign-in.', { cause: err })
}
