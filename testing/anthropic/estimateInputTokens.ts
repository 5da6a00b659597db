// A stand-in for the real tokenizer: about four characters per token, which is
// Anthropic's own rule of thumb for English. Good enough for usage accounting
// and quota tests; never for exact token budgets.

import { contentText, type MessagesRequest } from './parseMessagesRequest'

export function estimateInputTokens(request: Pick<MessagesRequest, 'system' | 'messages'>): number {
  let chars = request.system === undefined ? 0 : contentText(request.system).length
  for (const message of request.messages) chars += contentText(message.content).length
  return Math.max(1, Math.ceil(chars / 4))
}
