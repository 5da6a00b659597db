// `make dev WATCH=1`: the api hands every page request to Vite's dev server
// (SolidStart with hot module replacement) instead of the built app, so pages
// and /api still share one origin (cookies, PUBLIC_URL, CSRF checks). Vite's
// HMR websocket goes straight to Vite's own port (hmr.clientPort in vite.config.ts).
import type { WebHandler } from "./serve.ts";

// Hop-by-hop headers; bodies pass through as sent (decompress: false), so encodings stay true.
const DROPPED = ["connection", "keep-alive", "transfer-encoding"];

export function createDevProxyHandler(viteUrl: string): WebHandler {
  const target = viteUrl.replace(/\/+$/, "");
  return async (request) => {
    const url = new URL(request.url);
    // Host stays the public one, so server-rendered code calls the api at this origin.
    const headers = new Headers(request.headers);
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    try {
      const upstream = await fetch(`${target}${url.pathname}${url.search}`, {
        method: request.method,
        headers,
        body: hasBody ? request.body : undefined,
        redirect: "manual",
        decompress: false,
      });
      const out = new Headers(upstream.headers);
      for (const name of DROPPED) out.delete(name);
      return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: out });
    } catch {
      return new Response(`Vite's dev server (${target}) is not answering yet; it prints its own errors above.`, {
        status: 502,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
  };
}
