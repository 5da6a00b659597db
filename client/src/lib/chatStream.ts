// Following one streamed answer (a chat message or an artifact version): the
// events fold into an AnswerState with a pure reducer, and the runner reads the
// response body, remembers the last event id and, when the connection drops
// before `done`/`error`, reconnects to the resume endpoint with that id after a
// bounded, growing delay. The generation runs on the server either way, so a
// reconnect loses nothing.
import { ApiError } from "./problem";
import { createSseParser, type SseEvent } from "./chatSse";
import type { Source } from "./types";

export type AnswerStatus = "connecting" | "streaming" | "reconnecting" | "complete" | "stopped" | "failed";

export type AnswerState = {
  /** The assistant message id (or artifact id) once the `sources` event names it. */
  streamId: string | null;
  version: number | null;
  content: string;
  sources: Source[];
  citedNumbers: number[];
  /** Each citation's own moment and link (the lines matching the sentence that cites it). */
  citationMoments: Record<number, Pick<Source, "momentStartMs" | "momentEndMs" | "momentSeconds" | "deepLink">>;
  status: AnswerStatus;
  mode: "llm" | "extractive" | null;
  model: string | null;
  notice: string | null;
  error: { code: string; title: string; detail: string } | null;
  /** The highest event id applied; the resume point. */
  lastSeq: number;
  usage: { inputTokens: number | null; outputTokens: number | null } | null;
  timings: { ttftMs: number | null; totalMs: number | null } | null;
};

export const TERMINAL: ReadonlySet<AnswerStatus> = new Set(["complete", "stopped", "failed"]);

export function initialAnswer(seed: Partial<AnswerState> = {}): AnswerState {
  return {
    streamId: null,
    version: null,
    content: "",
    sources: [],
    citedNumbers: [],
    citationMoments: {},
    status: "connecting",
    mode: null,
    model: null,
    notice: null,
    error: null,
    lastSeq: 0,
    usage: null,
    timings: null,
    ...seed,
  };
}

const obj = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function idOf(data: Record<string, unknown>): string | null {
  return str(data.messageId) ?? str(data.artifactId);
}

/** Folds one event into the state. Events at or below `lastSeq` (a replay overlap) change nothing. */
export function applyStreamEvent(state: AnswerState, event: SseEvent): AnswerState {
  const seq = event.id !== null && /^\d+$/.test(event.id) ? Number(event.id) : null;
  // `revoked` has no id of its own (it inherits the last one), so it is never a replay.
  if (seq !== null && seq <= state.lastSeq && event.event !== "revoked") return state;
  let data: Record<string, unknown>;
  try {
    data = obj(JSON.parse(event.data));
  } catch {
    return state;
  }
  const next: AnswerState = { ...state, lastSeq: seq ?? state.lastSeq };
  switch (event.event) {
    case "sources": {
      next.streamId = idOf(data) ?? state.streamId;
      next.version = num(data.version) ?? state.version;
      next.mode = data.mode === "extractive" ? "extractive" : "llm";
      next.model = str(data.model);
      next.notice = str(data.notice);
      next.sources = Array.isArray(data.sources) ? (data.sources as Source[]) : [];
      next.status = "streaming";
      return next;
    }
    case "token":
      next.content = state.content + (str(data.text) ?? "");
      next.status = "streaming";
      return next;
    case "citations":
      next.citedNumbers = Array.isArray(data.citations)
        ? data.citations.map((c) => num(obj(c).n)).filter((n): n is number => n !== null)
        : [];
      next.citationMoments = {};
      for (const c of Array.isArray(data.citations) ? data.citations.map(obj) : []) {
        const n = num(c.n);
        const link = str(c.deepLink);
        if (n !== null && link !== null)
          next.citationMoments[n] = {
            momentStartMs: num(c.momentStartMs),
            momentEndMs: num(c.momentEndMs),
            momentSeconds: num(c.momentSeconds),
            deepLink: link,
          };
      }
      return next;
    case "done":
      next.streamId = idOf(data) ?? state.streamId;
      next.version = num(data.version) ?? state.version;
      // The final text has invalid citation markers removed: it wins.
      next.content = str(data.content) ?? state.content;
      next.status = data.status === "stopped" ? "stopped" : "complete";
      if (data.mode === "llm" || data.mode === "extractive") next.mode = data.mode;
      next.model = str(data.model) ?? state.model;
      next.usage = obj(data.usage) as AnswerState["usage"];
      next.timings = obj(data.timings) as AnswerState["timings"];
      return next;
    case "error":
      next.content = str(data.partialContent) ?? state.content;
      next.status = "failed";
      next.error = {
        code: str(data.code) ?? "generation_failed",
        title: str(data.title) ?? "The answer could not be completed",
        detail: str(data.detail) ?? "Try again.",
      };
      return next;
    case "revoked":
      // The server ended the stream because the reader lost access (removed
      // from the collection, signed out): stop here, a reconnect would be refused.
      next.status = "failed";
      next.error = {
        code: str(data.reason) === "session" ? "session_ended" : "access_revoked",
        title: "Access ended",
        detail: str(data.detail) ?? "You no longer have access to this conversation.",
      };
      return next;
    default:
      return state;
  }
}

export type StreamRunOptions = {
  /** The first request: the ask POST, or a resume from a known id. */
  open(signal: AbortSignal): Promise<Response>;
  /** A reconnect after `lastSeq`; needs the stream id (the ask response's `X-Message-Id`, or `sources`). */
  resume(streamId: string, lastSeq: number, signal: AbortSignal): Promise<Response>;
  onUpdate(state: AnswerState): void;
  initial?: Partial<AnswerState>;
  maxRetries?: number;
  /** Delay before reconnect number `attempt` (1-based). */
  backoffMs?(attempt: number): number;
  /** With heartbeats every 15 s, this long without a byte means the connection is dead. */
  stallMs?: number;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
};

export type StreamRun = { done: Promise<AnswerState>; cancel(): void };

export const defaultBackoff = (attempt: number) => Math.min(8_000, 500 * 2 ** (attempt - 1)) + Math.floor(Math.random() * 250);

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** Retrying helps with dropped connections and busy servers, not with refusals. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ApiError) return error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504;
  return !(error instanceof DOMException && error.name === "AbortError");
}

function titleFor(status: number): string {
  if (status === 402) return "Plan limit reached";
  if (status === 429) return "Too many requests";
  if (status === 404) return "Not found";
  return "The answer could not be started";
}

export function runAnswerStream(options: StreamRunOptions): StreamRun {
  const controller = new AbortController();
  const maxRetries = options.maxRetries ?? 6;
  const backoff = options.backoffMs ?? defaultBackoff;
  const sleep = options.sleep ?? abortableSleep;
  const stallMs = options.stallMs ?? 45_000;
  let state = initialAnswer(options.initial);
  const update = (next: AnswerState) => {
    if (next === state) return;
    state = next;
    options.onUpdate(state);
  };

  // Reads one response to its end; true when a terminal event arrived.
  const consume = async (response: Response, attemptSignal: AbortController): Promise<boolean> => {
    // The ask response names its answer before any event (the search runs first): resume and stop can use it.
    const named = response.headers.get("x-message-id");
    if (named && !state.streamId) update({ ...state, streamId: named });
    if (!response.body) return false;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = createSseParser();
    let stall = setTimeout(() => attemptSignal.abort(), stallMs);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        clearTimeout(stall);
        if (done) return TERMINAL.has(state.status);
        stall = setTimeout(() => attemptSignal.abort(), stallMs);
        for (const event of parser.push(value)) {
          update(applyStreamEvent(state, event));
          if (TERMINAL.has(state.status)) return true;
        }
      }
    } finally {
      clearTimeout(stall);
      reader.cancel().catch(() => {});
    }
  };

  const run = async (): Promise<AnswerState> => {
    let attempt = 0;
    for (;;) {
      const attemptController = new AbortController();
      const onCancel = () => attemptController.abort();
      controller.signal.addEventListener("abort", onCancel, { once: true });
      try {
        const response =
          attempt === 0
            ? await options.open(attemptController.signal)
            : await options.resume(state.streamId!, state.lastSeq, attemptController.signal);
        const seqBefore = state.lastSeq;
        if (await consume(response, attemptController)) return state;
        // Progress since the last drop earns a fresh set of retries.
        if (state.lastSeq > seqBefore) attempt = 0;
      } catch (error) {
        if (controller.signal.aborted) return state;
        const stalled = attemptController.signal.aborted;
        if (!stalled && !isRetryable(error)) {
          const e = error instanceof ApiError ? error : new ApiError("The answer could not be loaded. Try again.", 0, "stream_failed");
          update({ ...state, status: "failed", error: { code: e.code, title: titleFor(e.status), detail: e.message } });
          return state;
        }
      } finally {
        controller.signal.removeEventListener("abort", onCancel);
      }
      if (controller.signal.aborted) return state;
      attempt++;
      if (!state.streamId || attempt > maxRetries) {
        update({
          ...state,
          status: "failed",
          error: {
            code: "connection_lost",
            title: "Connection lost",
            detail: state.streamId
              ? "The connection to the server dropped and could not be restored. Reload the page to see the answer — it kept being written on the server."
              : "The server could not be reached. Check your connection and ask again.",
          },
        });
        return state;
      }
      update({ ...state, status: "reconnecting" });
      await sleep(backoff(attempt), controller.signal);
      if (controller.signal.aborted) return state;
    }
  };

  return { done: run(), cancel: () => controller.abort() };
}
