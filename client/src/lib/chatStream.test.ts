import { describe, expect, test } from "bun:test";
import { ApiError } from "./problem";
import { applyStreamEvent, initialAnswer, runAnswerStream, type AnswerState } from "./chatStream";

const source = {
  n: 1,
  chunkId: 10,
  videoId: "v1",
  videoTitle: "Talk",
  startMs: 61_000,
  endMs: 90_000,
  startSeconds: 61,
  endSeconds: 90,
  speakers: [],
  deepLink: "https://youtu.be/x?t=61",
  snippet: "hello",
};
const frame = (id: number, event: string, data: unknown) => `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const sourcesEv = (id = 1) =>
  frame(id, "sources", { messageId: "m1", conversationId: "c1", mode: "llm", model: "claude", notice: null, sources: [source] });

/** A response whose body yields the given chunks, then ends or errors. */
function sseResponse(chunks: string[], end: "close" | "error" = "close"): Response {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(new TextEncoder().encode(chunks[i++]!));
      else if (end === "error") controller.error(new TypeError("network error"));
      else controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

const noSleep = async () => {};

describe("applyStreamEvent", () => {
  test("builds the answer from sources, tokens, citations and done", () => {
    let s = initialAnswer();
    const ev = (id: number, event: string, data: unknown) =>
      (s = applyStreamEvent(s, { id: String(id), event, data: JSON.stringify(data) }));
    ev(1, "sources", {
      messageId: "m1",
      mode: "extractive",
      model: "extractive",
      notice: "No language model is configured",
      sources: [source],
    });
    expect(s).toMatchObject({
      streamId: "m1",
      status: "streaming",
      mode: "extractive",
      notice: "No language model is configured",
      sources: [source],
    });
    ev(2, "token", { text: "Speed is 5 m/s [1]" });
    ev(3, "token", { text: " [9]." });
    expect(s.content).toBe("Speed is 5 m/s [1] [9].");
    ev(4, "citations", { citations: [{ n: 1 }] });
    ev(5, "done", {
      messageId: "m1",
      status: "complete",
      mode: "extractive",
      model: "extractive",
      content: "Speed is 5 m/s [1].",
      usage: { inputTokens: 1, outputTokens: 2 },
      timings: { ttftMs: 3, totalMs: 4 },
    });
    expect(s).toMatchObject({ status: "complete", content: "Speed is 5 m/s [1].", citedNumbers: [1], lastSeq: 5 });
  });

  test("ignores events already applied (replay overlap after a reconnect)", () => {
    let s = applyStreamEvent(initialAnswer(), { id: "2", event: "token", data: '{"text":"ab"}' });
    s = applyStreamEvent(s, { id: "2", event: "token", data: '{"text":"ab"}' });
    s = applyStreamEvent(s, { id: "1", event: "token", data: '{"text":"zz"}' });
    expect(s.content).toBe("ab");
  });

  test("an error keeps the partial answer and says what happened", () => {
    const s = applyStreamEvent(initialAnswer({ content: "par" }), {
      id: "4",
      event: "error",
      data: JSON.stringify({ code: "llm_overloaded", title: "Busy", detail: "Try again in a minute.", partialContent: "partial" }),
    });
    expect(s).toMatchObject({
      status: "failed",
      content: "partial",
      error: { code: "llm_overloaded", title: "Busy", detail: "Try again in a minute." },
    });
  });

  test("a stopped answer ends as stopped with its text", () => {
    const s = applyStreamEvent(initialAnswer({ content: "half" }), {
      id: "3",
      event: "done",
      data: '{"status":"stopped","content":"half"}',
    });
    expect(s.status).toBe("stopped");
  });

  test("malformed data is ignored", () => {
    const s0 = initialAnswer();
    expect(applyStreamEvent(s0, { id: "1", event: "token", data: "{not json" })).toBe(s0);
  });
});

describe("runAnswerStream", () => {
  test("reconnects with the last event id after the connection drops and finishes the answer", async () => {
    const resumes: number[] = [];
    const updates: AnswerState[] = [];
    const run = runAnswerStream({
      open: async () => sseResponse([sourcesEv(1), frame(2, "token", { text: "Hel" })], "error"),
      resume: async (id, lastSeq) => {
        resumes.push(lastSeq);
        expect(id).toBe("m1");
        // The server replays from lastSeq; an overlap must not duplicate text.
        return sseResponse([
          frame(2, "token", { text: "Hel" }),
          frame(3, "token", { text: "lo" }),
          frame(4, "done", { status: "complete", content: "Hello" }),
        ]);
      },
      onUpdate: (s) => updates.push(s),
      sleep: noSleep,
    });
    const final = await run.done;
    expect(resumes).toEqual([2]);
    expect(final).toMatchObject({ status: "complete", content: "Hello", lastSeq: 4 });
    expect(updates.some((u) => u.status === "reconnecting")).toBe(true);
  });

  test("a connection lost before the first event resumes the answer the response named", async () => {
    const resumed: [string, number][] = [];
    const named = sseResponse([": heartbeat\n\n"], "error");
    named.headers.set("x-message-id", "m7");
    const final = await runAnswerStream({
      open: async () => named,
      resume: async (id, lastSeq) => {
        resumed.push([id, lastSeq]);
        return sseResponse([sourcesEv(1), frame(2, "token", { text: "Hi" }), frame(3, "done", { status: "complete", content: "Hi" })]);
      },
      onUpdate: () => {},
      sleep: noSleep,
    }).done;
    expect(resumed).toEqual([["m7", 0]]);
    expect(final).toMatchObject({ status: "complete", content: "Hi" });
  });

  test("a stream that simply ends before done is resumed too", async () => {
    let calls = 0;
    const final = await runAnswerStream({
      open: async () => sseResponse([sourcesEv(1)]),
      resume: async (_id, lastSeq) => (calls++, sseResponse([frame(lastSeq + 1, "done", { status: "complete", content: "ok" })])),
      onUpdate: () => {},
      sleep: noSleep,
    }).done;
    expect(calls).toBe(1);
    expect(final.content).toBe("ok");
  });

  test("gives up after the bounded number of retries with growing delays", async () => {
    const delays: number[] = [];
    const final = await runAnswerStream({
      open: async () => sseResponse([sourcesEv(1)], "error"),
      resume: async () => {
        throw new ApiError("down", 0, "network");
      },
      onUpdate: () => {},
      maxRetries: 3,
      backoffMs: (a) => a * 100,
      sleep: async (ms) => void delays.push(ms),
    }).done;
    expect(delays).toEqual([100, 200, 300]);
    expect(final.status).toBe("failed");
    expect(final.error?.code).toBe("connection_lost");
  });

  test("a refusal (HTTP 4xx) is reported at once, not retried", async () => {
    let resumed = false;
    const final = await runAnswerStream({
      open: async () => {
        throw new ApiError("Too many questions; wait a minute.", 429, "rate_limited");
      },
      resume: async () => ((resumed = true), sseResponse([])),
      onUpdate: () => {},
      sleep: noSleep,
    }).done;
    expect(resumed).toBe(false);
    expect(final).toMatchObject({ status: "failed", error: { code: "rate_limited", detail: "Too many questions; wait a minute." } });
  });

  test("a revoked stream (the reader lost the collection) ends with the server's reason, not a reconnect", async () => {
    let resumed = false;
    const final = await runAnswerStream({
      open: async () =>
        sseResponse([
          sourcesEv(1),
          frame(2, "token", { text: "Par" }),
          "event: revoked\ndata: " +
            JSON.stringify({ code: "access_revoked", reason: "collection", detail: "You no longer have access to this collection." }) +
            "\n\n",
        ]),
      resume: async () => ((resumed = true), sseResponse([])),
      onUpdate: () => {},
      sleep: noSleep,
    }).done;
    expect(resumed).toBe(false);
    expect(final).toMatchObject({
      status: "failed",
      content: "Par",
      error: { code: "access_revoked", title: "Access ended", detail: "You no longer have access to this collection." },
    });
  });

  test("without a stream id (the question never reached the server) there is nothing to resume", async () => {
    const final = await runAnswerStream({
      open: async () => {
        throw new ApiError("down", 0, "network");
      },
      resume: async () => sseResponse([]),
      onUpdate: () => {},
      sleep: noSleep,
    }).done;
    expect(final.status).toBe("failed");
    expect(final.error?.detail).toContain("ask again");
  });

  test("a silent connection (no heartbeat) counts as dropped", async () => {
    const final = await runAnswerStream({
      open: async (signal) =>
        new Response(
          new ReadableStream({
            start(c) {
              c.enqueue(new TextEncoder().encode(sourcesEv(1)));
              signal.addEventListener("abort", () => c.error(new DOMException("aborted", "AbortError")));
            },
          }),
        ),
      resume: async () => sseResponse([frame(2, "done", { status: "complete", content: "late" })]),
      onUpdate: () => {},
      stallMs: 20,
      sleep: noSleep,
    }).done;
    expect(final.content).toBe("late");
  });

  test("resuming a refreshed answer from id 0 rebuilds its text from the replay", async () => {
    const final = await runAnswerStream({
      initial: { streamId: "m1", lastSeq: 0 },
      open: async () =>
        sseResponse([
          sourcesEv(1),
          frame(2, "token", { text: "A" }),
          frame(3, "token", { text: "B" }),
          frame(4, "done", { status: "complete", content: "AB" }),
        ]),
      resume: async () => sseResponse([]),
      onUpdate: () => {},
    }).done;
    expect(final.content).toBe("AB");
  });

  test("cancel stops following without failing the answer", async () => {
    const run = runAnswerStream({
      open: async (signal) =>
        new Response(
          new ReadableStream({
            start(c) {
              c.enqueue(new TextEncoder().encode(sourcesEv(1)));
              signal.addEventListener("abort", () => c.error(new DOMException("aborted", "AbortError")));
            },
          }),
        ),
      resume: async () => sseResponse([]),
      onUpdate: () => {},
    });
    setTimeout(() => run.cancel(), 10);
    const final = await run.done;
    expect(final.status).toBe("streaming");
  });
});
