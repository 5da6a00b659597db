// Server-Sent Events framing for fetch-based streams (a POST cannot use
// EventSource). Follows the WHATWG parsing rules: lines end in \n, \r\n or \r;
// `:` starts a comment (heartbeats); `data` lines join with \n; an event is
// dispatched at a blank line; an event without data is dropped.

export type SseEvent = { id: string | null; event: string; data: string };

export type SseParser = {
  /** Feeds decoded text; returns the events it completed. */
  push(chunk: string): SseEvent[];
  /** The last `id:` seen, kept across events as the spec says. */
  readonly lastEventId: string | null;
  /** The server's `retry:` hint in ms, if any. */
  readonly retryMs: number | null;
};

export function createSseParser(): SseParser {
  let buffer = "";
  let lastEventId: string | null = null;
  let retryMs: number | null = null;
  let eventName = "";
  let data: string[] = [];
  let sawData = false;
  // A chunk may end between \r and \n: the \n then belongs to the old line.
  let skipLeadingLf = false;

  const dispatch = (out: SseEvent[]) => {
    if (sawData) out.push({ id: lastEventId, event: eventName || "message", data: data.join("\n") });
    eventName = "";
    data = [];
    sawData = false;
  };

  const line = (text: string, out: SseEvent[]) => {
    if (text === "") return dispatch(out);
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      data.push(value);
      sawData = true;
    } else if (field === "event") eventName = value;
    else if (field === "id") {
      if (!value.includes("\0")) lastEventId = value;
    } else if (field === "retry" && /^\d+$/.test(value)) retryMs = Number(value);
  };

  return {
    push(chunk) {
      const out: SseEvent[] = [];
      if (skipLeadingLf && chunk.startsWith("\n")) chunk = chunk.slice(1);
      skipLeadingLf = false;
      buffer += chunk;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer[i];
        if (c !== "\n" && c !== "\r") continue;
        line(buffer.slice(start, i), out);
        if (c === "\r") {
          if (i + 1 === buffer.length) skipLeadingLf = true;
          else if (buffer[i + 1] === "\n") i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
      return out;
    },
    get lastEventId() {
      return lastEventId;
    },
    get retryMs() {
      return retryMs;
    },
  };
}
