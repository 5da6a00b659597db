// Configuration of who may call the api and how people sign in: the token
// key and lifetime, API key rate limit, trusted proxies, account email (SMTP)
// and the OAuth / OpenID Connect providers.
import { type Cidr, parseCidrList } from '../clientAddress.ts'
import { int, minLength, smtpUrl, str, url, type Spec } from './parsers.ts'

export const authSpec = {
  JWT_SECRET: {
    description:
      'HS256 key for access tokens (at least 32 characters; generate with `openssl rand -base64 48`). Unset outside production: a random per-data-dir key is generated and kept in `DATA_DIR`.',
    allowed: 'a string of at least 32 characters',
    parse: minLength(32),
    optional: true,
    secret: true,
  },
  ACCESS_TOKEN_TTL_SECONDS: {
    description:
      'Lifetime of an access token (the JWT each request carries); clients renew it with the refresh token. Logout and revocation do not wait for it to expire: the session behind it is checked on every request.',
    allowed: 'an integer from 30 to 86400',
    parse: int(30, 86_400),
    default: 900,
  },
  API_KEY_REQUESTS_PER_MINUTE: {
    description: 'Requests each personal API key may make per minute (across api instances); past it, 429 with Retry-After.',
    allowed: 'an integer from 1 to 100000',
    parse: int(1, 100_000),
    default: 300,
  },
  TRUSTED_PROXIES: {
    description:
      'Proxies (nginx, a load balancer) allowed to say who the client is, as IP addresses or CIDR ranges, e.g. `127.0.0.1/32` for nginx on the same host. From these peers the client is the right-most `X-Forwarded-For` address that is not itself listed; from any other peer the socket address is used and forwarded headers are ignored (with one warning in the log). Unset: no proxy is trusted.',
    allowed: 'comma-separated IP addresses or CIDR ranges, e.g. `127.0.0.1/32,10.0.0.0/8`',
    parse: parseCidrList,
    default: [] as Cidr[],
    defaultText: 'unset',
  },
  SMTP_URL: {
    description:
      'Outgoing mail server, e.g. `smtps://user:pass@smtp.example.com:465` or `smtp://localhost:1025`. Unset: emails (verification, password reset) are written to the log instead of sent — outside production only.',
    allowed: 'an smtp:// or smtps:// URL',
    parse: smtpUrl,
    optional: true,
    secret: true,
  },
  MAIL_FROM: {
    description: 'Sender of account emails.',
    allowed: 'an address, optionally with a name: `KnowledgeTree <no-reply@example.com>`',
    parse: str,
    default: 'KnowledgeTree <no-reply@localhost>',
  },
  GOOGLE_CLIENT_ID: {
    description:
      'Google OAuth client id; with the secret, offers "Sign in with Google". Redirect URL: `$PUBLIC_URL/api/auth/oauth/google/callback`.',
    allowed: 'a string',
    parse: str,
    optional: true,
  },
  GOOGLE_CLIENT_SECRET: { description: 'Google OAuth client secret.', allowed: 'a string', parse: str, optional: true, secret: true },
  GITHUB_CLIENT_ID: {
    description:
      'GitHub OAuth app client id; with the secret, offers "Sign in with GitHub". Callback URL: `$PUBLIC_URL/api/auth/oauth/github/callback`.',
    allowed: 'a string',
    parse: str,
    optional: true,
  },
  GITHUB_CLIENT_SECRET: { description: 'GitHub OAuth app client secret.', allowed: 'a string', parse: str, optional: true, secret: true },
  OIDC_ISSUER: {
    description:
      'OpenID Connect issuer URL for single sign-on (Keycloak realm, Authentik, Okta, Azure AD v2). Redirect URL: `$PUBLIC_URL/api/auth/oauth/oidc/callback`.',
    allowed: 'an http(s) URL',
    parse: url,
    optional: true,
  },
  OIDC_CLIENT_ID: { description: 'OpenID Connect client id.', allowed: 'a string', parse: str, optional: true },
  OIDC_CLIENT_SECRET: { description: 'OpenID Connect client secret.', allowed: 'a string', parse: str, optional: true, secret: true },
  OIDC_NAME: { description: 'Label of the SSO button.', allowed: 'a string', parse: str, default: 'SSO' },
} satisfies Record<string, Spec<unknown>>
