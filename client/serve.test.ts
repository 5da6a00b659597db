// The built web app served the way the api process serves it: needs
// `cd client && ../node_modules/.bin/bun --bun ../node_modules/.bin/vite build` first.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createWebHandler, type WebHandler } from "./serve";

let web: WebHandler;
let readyz: () => Response;
let server: ReturnType<typeof Bun.serve>;

// Same origin as production: /readyz answered by a stub, every other path by the web app.
beforeAll(async () => {
  web = await createWebHandler();
  server = Bun.serve({
    port: 0,
    fetch: (request) => (new URL(request.url).pathname === "/readyz" ? readyz() : web(request)),
  });
});

afterAll(() => server.stop(true));

const page = (path: string) => fetch(new URL(path, server.url));

describe("pages", () => {
  test("/ is server-rendered HTML with the hero", async () => {
    readyz = () => Response.json({ status: "ready" });
    const response = await web(new Request(new URL("/", server.url)));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toContain("Talk to your videos.");
    expect(html).toContain("Every answer cites the moment it came from.");
  });

  test("a page carries a CSP with a fresh nonce, and every script it renders carries that nonce", async () => {
    readyz = () => Response.json({ status: "ready" });
    const nonces = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const response = await page("/");
      const policy = response.headers.get("content-security-policy") ?? "";
      for (const directive of ["object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'"]) expect(policy).toContain(directive);
      const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
      expect(nonce).toBeDefined();
      nonces.add(nonce!);
      const scripts = [...(await response.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(2);
  });

  test("YouTube's player is allowed on every page (client-side navigation keeps the first page's policy), and nothing else is", async () => {
    const policy = (await page("/")).headers.get("content-security-policy") ?? "";
    expect(policy).toContain("script-src 'self' 'nonce-");
    expect(policy).toContain("frame-src https://www.youtube.com/embed/ https://www.youtube-nocookie.com/embed/;");
    // Paths on www.youtube.com, never the whole host (it serves JSONP endpoints).
    const sources = new Set(policy.match(/https:\/\/[^\s;]+/g));
    expect([...sources].sort()).toEqual([
      "https://i.ytimg.com",
      "https://s.ytimg.com",
      "https://www.youtube-nocookie.com/embed/",
      "https://www.youtube.com/embed/",
      "https://www.youtube.com/iframe_api",
      "https://www.youtube.com/s/player/",
    ]);
  });

  test("an unknown path renders the not-found page with a 404", async () => {
    const response = await page("/no/such/page");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Page not found");
  });
});

describe("readiness on the landing page", () => {
  test("a ready api shows all systems ready", async () => {
    readyz = () => Response.json({ status: "ready" });
    expect(await (await page("/")).text()).toContain("All systems ready");
  });

  test("an unavailable api shows its reason", async () => {
    readyz = () => Response.json({ status: "unavailable", reason: "database is migrating" }, { status: 503 });
    const html = await (await page("/")).text();
    expect(html).toContain("Not ready: database is migrating");
    expect(html).not.toContain("All systems ready");
  });

  test("an api that answers garbage is reported by HTTP status", async () => {
    readyz = () => new Response("<h1>Bad gateway</h1>", { status: 502 });
    expect(await (await page("/")).text()).toContain("Not ready: the api answered HTTP 502");
  });

  test("an unreachable api is reported, not thrown", async () => {
    const saved = process.env.KT_INTERNAL_API_URL;
    process.env.KT_INTERNAL_API_URL = "http://127.0.0.1:9"; // discard port: nothing listens
    try {
      const response = await page("/");
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("Not ready: the api could not be reached");
    } finally {
      if (saved === undefined) delete process.env.KT_INTERNAL_API_URL;
      else process.env.KT_INTERNAL_API_URL = saved;
    }
  });
});

describe("static assets", () => {
  test("hashed JS from the page is served with a year-long immutable cache", async () => {
    const html = await (await page("/")).text();
    const script = html.match(/<script type="module"[^>]*src="(\/_build\/assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const response = await web(new Request(new URL(script!, server.url)));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("text/javascript");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  test("hashed CSS is served as text/css", async () => {
    const html = await (await page("/")).text();
    const stylesheet = html.match(/href="(\/_build\/assets\/[^"]+\.css)"/)?.[1];
    expect(stylesheet).toBeDefined();
    const response = await web(new Request(new URL(stylesheet!, server.url)));
    expect(response.headers.get("content-type")).toStartWith("text/css");
  });

  test("public files are served but revalidated", async () => {
    const response = await web(new Request(new URL("/favicon.svg", server.url)));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("image/svg+xml");
    expect(response.headers.get("cache-control")).not.toContain("immutable");
  });

  test("a missing hashed asset is a bare 404, not a rendered page", async () => {
    const response = await web(new Request(new URL("/_build/assets/gone-1234abcd.js", server.url)));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("text/plain");
  });

  test("build internals are not served", async () => {
    const response = await web(new Request(new URL("/.vite/manifest.json", server.url)));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('"isEntry"');
  });
});
