import { describe, expect, test } from "bun:test";
import { createSseParser } from "./chatSse";

describe("createSseParser", () => {
  test("parses id, event and JSON data, and skips heartbeat comments", () => {
    const p = createSseParser();
    const events = p.push(
      'retry: 2000\n\n: heartbeat\n\nid: 1\nevent: sources\ndata: {"a":1}\n\nid: 2\nevent: token\ndata: {"text":"Hi"}\n\n',
    );
    expect(events).toEqual([
      { id: "1", event: "sources", data: '{"a":1}' },
      { id: "2", event: "token", data: '{"text":"Hi"}' },
    ]);
    expect(p.lastEventId).toBe("2");
    expect(p.retryMs).toBe(2000);
  });

  test("reassembles events split across chunks at any byte", () => {
    const stream = 'id: 7\nevent: token\ndata: {"text":"a b"}\n\nid: 8\nevent: done\ndata: {"status":"complete"}\n\n';
    for (let cut = 1; cut < stream.length; cut++) {
      const p = createSseParser();
      const events = [...p.push(stream.slice(0, cut)), ...p.push(stream.slice(cut))];
      expect(events.map((e) => e.id)).toEqual(["7", "8"]);
    }
  });

  test("accepts CRLF and CR line endings, even split between \\r and \\n", () => {
    const p = createSseParser();
    const events = [...p.push("id: 1\r\nevent: x\r\ndata: one\r"), ...p.push("\n\r\nid: 2\revent: y\rdata: two\r\r")];
    expect(events).toEqual([
      { id: "1", event: "x", data: "one" },
      { id: "2", event: "y", data: "two" },
    ]);
  });

  test("joins multi-line data, defaults the event name and drops data-less events", () => {
    const p = createSseParser();
    expect(p.push("event: ping\n\ndata: a\ndata:b\n\n")).toEqual([{ id: null, event: "message", data: "a\nb" }]);
  });

  test("keeps the last id for later events that carry none", () => {
    const p = createSseParser();
    expect(p.push("id: 5\ndata: x\n\ndata: y\n\n").map((e) => e.id)).toEqual(["5", "5"]);
  });
});
