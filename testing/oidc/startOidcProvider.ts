// A real OpenID Provider (panva's oidc-provider) on 127.0.0.1 for end-to-end
// sign-in tests. One confidential client (client_secret_basic, PKCE required),
// one account, and an interaction that logs that account in and grants the
// requested scopes without a form. `tamperIdTokens` rewrites ID tokens on their
// way out of the token endpoint, for tests of what we do with a bad one.
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose'
import Provider from 'oidc-provider'

export type OidcAccount = { sub: string; email: string; emailVerified: boolean; name: string }
export type IdTokenTamper = (idToken: string) => string | Promise<string>

export type OidcTestProvider = {
  issuer: string
  clientId: string
  clientSecret: string
  account: OidcAccount
  /** Rewrites every ID token the token endpoint returns until set back to null. */
  tamperIdTokens(fn: IdTokenTamper | null): void
  /** Signs claims with the provider's own key, as a genuine ID token would be. */
  signWithProviderKey(claims: JWTPayload): Promise<string>
  /** How many times the interaction (login + consent) ran. */
  interactions(): number
  stop(): Promise<void>
}

export type OidcProviderOptions = {
  redirectUri: string
  account?: Partial<OidcAccount>
  /** oidc-provider's default (true, strict OIDC Core 5.4): with a code flow, email and name are only at /userinfo. */
  claimsOnlyAtUserinfo?: boolean
  clientSecret?: string
}

export async function startOidcProvider(options: OidcProviderOptions): Promise<OidcTestProvider> {
  const account: OidcAccount = {
    sub: `user-${randomBytes(6).toString('hex')}`,
    email: `sso-${randomBytes(4).toString('hex')}@corp.example`,
    emailVerified: true,
    name: 'Grace Hopper',
    ...options.account,
  }
  const clientId = `knowledgetree-${randomBytes(4).toString('hex')}`
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('hex')
  const kid = randomBytes(8).toString('hex')
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' }

  // The issuer has to name the port, so listen first and attach the provider after.
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end()
  const server = createServer((req, res) => handle(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    async findAccount(_ctx, sub) {
      if (sub !== account.sub) return undefined
      return {
        accountId: sub,
        claims: async () => ({ sub, email: account.email, email_verified: account.emailVerified, name: account.name }),
      }
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Keycloak, Entra ID, Okta and Auth0 put scope claims into the ID token of a
    // code flow too; oidc-provider by default keeps them for /userinfo only.
    conformIdTokenClaims: options.claimsOnlyAtUserinfo ?? false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    ttl: { AuthorizationCode: 60, IdToken: 300, AccessToken: 300, Interaction: 300, Session: 3600, Grant: 3600 },
  })

  let tamper: IdTokenTamper | null = null
  provider.use(async (ctx, next) => {
    await next()
    const body = ctx.body as Record<string, unknown> | undefined
    if (tamper && ctx.path === '/token' && ctx.status === 200 && typeof body?.id_token === 'string')
      ctx.body = { ...body, id_token: await tamper(body.id_token) }
  })

  let interactionCount = 0
  // The "user" signs in as the account and approves every requested scope.
  const autoLogin = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const details = await provider.interactionDetails(req, res)
    interactionCount++
    const grant = new provider.Grant({ accountId: account.sub, clientId: String(details.params.client_id) })
    grant.addOIDCScope(String(details.params.scope))
    const grantId = await grant.save()
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.sub }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    )
  }

  const callback = provider.callback()
  handle = (req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/interaction/')) {
      autoLogin(req, res).catch((err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)))
      return
    }
    callback(req, res)
  }

  return {
    issuer,
    clientId,
    clientSecret,
    account,
    tamperIdTokens(fn) {
      tamper = fn
    },
    signWithProviderKey: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(privateKey),
    interactions: () => interactionCount,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}
