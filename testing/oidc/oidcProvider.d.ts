// oidc-provider ships no types and @types/oidc-provider is not installed; this
// declares the little of v9 that startOidcProvider.ts uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  type KoaContext = { path: string; method: string; status: number; body: unknown }
  type Account = { accountId: string; claims(use: string, scope: string): Promise<Record<string, unknown>> }
  type InteractionDetails = { uid: string; params: Record<string, unknown>; prompt: { name: string } }

  export type Configuration = {
    clients?: Record<string, unknown>[]
    findAccount?: (ctx: unknown, sub: string) => Promise<Account | undefined>
    claims?: Record<string, string[]>
    conformIdTokenClaims?: boolean
    pkce?: { required?: (ctx: unknown, client: unknown) => boolean }
    features?: Record<string, { enabled: boolean }>
    interactions?: { url?: (ctx: unknown, interaction: { uid: string }) => string }
    jwks?: { keys: Record<string, unknown>[] }
    cookies?: { keys?: string[] }
    ttl?: Record<string, number>
  }

  class Grant {
    constructor(properties: { accountId: string; clientId: string })
    addOIDCScope(scope: string): void
    save(): Promise<string>
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration)
    readonly issuer: string
    Grant: typeof Grant
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): this
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>
  }
}
