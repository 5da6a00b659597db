// Configuration of the language model that writes answers (Claude): key,
// endpoint, the models a conversation may pick, and generation limits.
import { int, modelList, num, str, url, type Spec } from './parsers.ts'

export const languageModelSpec = {
  ANTHROPIC_API_KEY: {
    description:
      'Claude API key. Unset: answers are built from the retrieved passages (extractive, labelled "no language model configured").',
    allowed: 'a string',
    parse: str,
    optional: true,
    secret: true,
  },
  ANTHROPIC_BASE_URL: {
    description: 'Anthropic API base URL (a gateway or proxy).',
    allowed: 'an http(s) URL',
    parse: url,
    default: 'https://api.anthropic.com',
  },
  ANTHROPIC_MODEL: { description: 'Claude model that answers.', allowed: 'a model id', parse: str, default: 'claude-sonnet-5-5' },
  ANTHROPIC_MODELS: {
    description:
      'Further Claude models a conversation’s answer settings may pick (`ANTHROPIC_MODEL` stays the default). The api refuses any model not listed.',
    allowed: 'model ids, comma-separated',
    parse: modelList,
    optional: true,
  },
  ANTHROPIC_REWRITE_MODEL: {
    description:
      'Claude model that rewrites a follow-up question into a standalone search query (one short call before retrieval; a fast model such as a Haiku one shortens time to first token). Unset: `ANTHROPIC_MODEL`.',
    allowed: 'a model id',
    parse: str,
    optional: true,
  },
  LLM_MAX_TOKENS: {
    description: 'Longest answer, in tokens.',
    allowed: 'an integer from 64 to 64000',
    parse: int(64, 64_000),
    default: 1500,
  },
  LLM_TEMPERATURE: {
    description: 'Sampling temperature, sent only when set (current Claude models choose their own; older ones accept 0–1).',
    allowed: 'a number from 0 to 1',
    parse: num(0, 1),
    optional: true,
  },
  LLM_MAX_RETRIES: {
    description: 'Retries (with backoff, honouring Retry-After) of 429/529/5xx answers that come before the first token.',
    allowed: 'an integer from 0 to 10',
    parse: int(0, 10),
    default: 3,
  },
} satisfies Record<string, Spec<unknown>>
