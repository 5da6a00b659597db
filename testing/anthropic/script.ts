// What the emulated model does for one request: the answer, its pacing, and
// the failures to inject. Tests set scripts; the emulator only follows them.

export type ScriptedFailure = {
  status: 429 | 500 | 529
  /** How many requests fail before one succeeds (counted since the script was set). */
  times: number
  /** Sent as `retry-after` (seconds; fractions keep retry tests fast). 429 always sends one, default 1. */
  retryAfterSeconds?: number
  /** Sent as `x-should-retry`, which overrides the SDK's status-based retry decision. */
  shouldRetry?: boolean
}

export type Script = {
  /** The answer. A string is split into word-like tokens with `[n]` markers kept whole;
   *  an array is streamed as exactly those deltas (e.g. `['see [', '1', ']']`). */
  text: string | string[]
  /** Delay before the first text delta. Default 0. */
  ttftMs?: number
  /** Pace of the deltas after the first. Default 1000; `Infinity` sends them as fast as possible. */
  tokensPerSecond?: number
  /** Reported when the answer ends by itself. Default 'end_turn'. (The request's own
   *  `max_tokens` and `stop_sequences` still cut the answer short, as the real API does.) */
  stopReason?: 'end_turn' | 'max_tokens'
  failBeforeFirstToken?: ScriptedFailure
  /** Streaming: after this many deltas send an `overloaded_error` event and end the stream.
   *  Non-streaming: answer 529 after the same delay. */
  failAfterTokens?: number
}

export const DEFAULT_SCRIPT: Script = {
  text: 'This is an emulated answer from the local Anthropic Messages API emulator [1].',
}
