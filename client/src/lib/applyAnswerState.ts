// How one update of a streamed answer (chatStream.ts) shows in its chat
// message: the text, sources and mode as they arrive, the connection's state,
// and once the answer has ended its status, error and citations.
import type { ChatMessage } from "./chatState";
import { TERMINAL, type AnswerState } from "./chatStream";
import type { Message } from "./types";

/**
 * `keepShownText`: a refreshed answer is replayed from the start, and its saved
 * text stays until the replay passes it (or the answer ends).
 */
export function applyAnswerState(m: ChatMessage, s: AnswerState, keepShownText: boolean): void {
  if (!keepShownText || TERMINAL.has(s.status)) m.content = s.content;
  if (s.sources.length) m.sources = s.sources;
  if (s.mode) m.mode = s.mode;
  if (s.model) m.model = s.model;
  if (s.notice !== null) m.notice = s.notice;
  m.reconnecting = s.status === "reconnecting";
  m.pending = s.status === "connecting";
  if (TERMINAL.has(s.status)) {
    m.status = s.status as Message["status"];
    m.error = s.error?.detail ?? null;
    m.errorTitle = s.error?.title;
    m.errorCode = s.error?.code;
    if (s.citedNumbers.length)
      m.citations = m.sources.filter((src) => s.citedNumbers.includes(src.n)).map((src) => ({ ...src, ...s.citationMoments[src.n] }));
  }
}
