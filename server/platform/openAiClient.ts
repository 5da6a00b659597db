// One setup of the OpenAI SDK for every OpenAI-compatible service we call
// (embeddings, transcription): configurable base URL, optional key.
import OpenAI from 'openai'

export function createOpenAiClient(options: { baseUrl: string; apiKey?: string | null; maxRetries: number; timeoutMs?: number }): OpenAI {
  const keyless = !options.apiKey
  return new OpenAI({
    baseURL: options.baseUrl,
    // The SDK insists on a key; a keyless server gets a placeholder that the
    // header override below keeps off the wire.
    apiKey: options.apiKey || 'unused',
    ...(keyless ? { defaultHeaders: { Authorization: null } } : {}),
    // Never pick up OPENAI_ORG_ID / OPENAI_PROJECT_ID from the environment.
    organization: null,
    project: null,
    maxRetries: options.maxRetries,
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  })
}
