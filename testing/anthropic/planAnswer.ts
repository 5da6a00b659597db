// Turns a script into the deltas to send and the reason they stop, applying the
// request's limits the way the model would: `max_tokens` truncates (and wins
// over the script's stop reason), a stop sequence ends the answer before it.

import type { MessagesRequest } from './parseMessagesRequest'
import type { Script } from './script'
import { splitIntoTokens } from './splitIntoTokens'

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence'

export type AnswerPlan = {
  tokens: string[]
  stopReason: StopReason
  stopSequence: string | null
}

export function planAnswer(script: Script, request: Pick<MessagesRequest, 'max_tokens' | 'stop_sequences'>): AnswerPlan {
  const all = typeof script.text === 'string' ? splitIntoTokens(script.text) : script.text
  const tokens = all.slice(0, request.max_tokens)
  const hitMaxTokens = tokens.length < all.length

  const stop = firstStopSequence(tokens.join(''), request.stop_sequences ?? [])
  if (stop) return { tokens: truncateAt(tokens, stop.at), stopReason: 'stop_sequence', stopSequence: stop.sequence }
  return {
    tokens,
    stopReason: hitMaxTokens ? 'max_tokens' : (script.stopReason ?? 'end_turn'),
    stopSequence: null,
  }
}

function firstStopSequence(text: string, sequences: string[]): { sequence: string; at: number } | undefined {
  let first: { sequence: string; at: number } | undefined
  for (const sequence of sequences) {
    const at = text.indexOf(sequence)
    if (at !== -1 && (first === undefined || at < first.at)) first = { sequence, at }
  }
  return first
}

// Keeps whole tokens before `at` and the part of the token that straddles it.
function truncateAt(tokens: string[], at: number): string[] {
  const kept: string[] = []
  let length = 0
  for (const token of tokens) {
    if (length + token.length <= at) {
      kept.push(token)
      length += token.length
      continue
    }
    if (at > length) kept.push(token.slice(0, at - length))
    break
  }
  return kept
}
