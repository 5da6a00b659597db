// `make dev WATCH=1`: the api hands page requests to Vite's dev server. Here a
// real HTTP server stands in for Vite and records what reaches it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createDevProxyHandler } from "./devProxy";

type Seen = { method: string; path: string; host: string | null; cookie: string | null; body: string };
const seen: Seen[] = [];
let vite: ReturnType<typeof Bun.serve>;

beforeAll(() => {
  vite = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      seen.push({
        method: request.method,
        path: url.pathname + url.search,
        host: request.headers.get("host"),
        cookie: request.headers.get("cookie"),
        body: await request.text(),
      });
      if (url.pathname === "/old") return new Response(null, { status: 302, headers: { location: "/new" } });
      return new Response("<!DOCTYPE html><script type=module src=/@vite/client></script>", {
        headers: { "content-type": "text/html", "x-from": "vite" },
      });
    },
  });
});

afterAll(() => vite.stop(true));

test("a page request reaches Vite with its path, query, cookies and public Host, and Vite's answer comes back", async () => {
  const proxy = createDevProxyHandler(`http://127.0.0.1:${vite.port}/`);
  const response = await proxy(
    new Request("http://localhost:3000/collections/abc/chat?c=1", { headers: { cookie: "__Host-session=s", host: "localhost:3000" } }),
  );
  expect(response.status).toBe(200);
  expect(response.headers.get("x-from")).toBe("vite");
  expect(await response.text()).toContain("/@vite/client");
  expect(seen.at(-1)).toEqual({
    method: "GET",
    path: "/collections/abc/chat?c=1",
    host: "localhost:3000",
    cookie: "__Host-session=s",
    body: "",
  });
});

test("a form post keeps its body; a redirect is passed on, not followed", async () => {
  const proxy = createDevProxyHandler(`http://127.0.0.1:${vite.port}`);
  await proxy(new Request("http://localhost:3000/_server?id=x", { method: "POST", body: "name=Ada" }));
  expect(seen.at(-1)).toMatchObject({ method: "POST", path: "/_server?id=x", body: "name=Ada" });
  const redirect = await proxy(new Request("http://localhost:3000/old"));
  expect(redirect.status).toBe(302);
  expect(redirect.headers.get("location")).toBe("/new");
});

test("while Vite is not up, the page says so with a 502", async () => {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const closed = probe.port;
  probe.stop(true);
  const response = await createDevProxyHandler(`http://127.0.0.1:${closed}`)(new Request("http://localhost:3000/"));
  expect(response.status).toBe(502);
  expect(await response.text()).toContain("not answering yet");
});
