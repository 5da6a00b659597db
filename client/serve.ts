// Serves the built web app (client/.output) from a Bun process: static files
// from .output/client, everything else through the SolidStart SSR handler in
// .output/server. The api process mounts createWebHandler() behind its own routes;
// `bun client/serve.ts --port 3999` runs it alone.
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";

export type WebHandler = (request: Request) => Promise<Response>;

/** Where the browser reports its errors (Sentry or GlitchTip); null: it reports nothing and loads no SDK. */
export type BrowserErrorReporting = { dsn: string; environment?: string; release?: string } | null;

type SsrEntry = { fetch: (request: Request) => Response | Promise<Response> };

const DEFAULT_DIST_DIR = join(import.meta.dir, ".output");
// Vite puts content-hashed files here (assetsDir: "_build/assets"), so they can
// be cached forever; anything else (public/ files such as favicon.svg) may
// change between deploys under the same name.
const HASHED_PREFIX = "/_build/assets/";
const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "public, max-age=300, must-revalidate";

export async function createWebHandler(
  distDir: string = DEFAULT_DIST_DIR,
  options: { errorReporting?: BrowserErrorReporting } = {},
): Promise<WebHandler> {
  const ssr = await loadSsrEntry(join(distDir, "server", "entry-server.js"));
  const files = await listStaticFiles(join(distDir, "client"));

  return async (request) => {
    const { pathname } = new URL(request.url);
    if (request.method === "GET" || request.method === "HEAD") {
      const filePath = files.get(pathname);
      if (filePath) return serveFile(request, pathname, filePath);
    }
    // A hashed asset from an older build: a bare 404, not a rendered page.
    if (pathname.startsWith("/_build/")) {
      return new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } });
    }
    return withErrorReporting(withCharset(await ssr.fetch(request)), options.errorReporting ?? null);
  };
}

// The page learns where to report from a meta tag the server adds (the DSN is
// runtime configuration, not baked into the build); entry-client reads it.
// The page's CSP (pagePolicy.ts) lets it connect to its own origin only, so the
// DSN's origin is added to connect-src here, where the DSN is known.
function withErrorReporting(response: Response, reporting: BrowserErrorReporting): Response {
  if (!reporting || !response.headers.get("content-type")?.startsWith("text/html")) return response;
  const content = JSON.stringify(reporting);
  const headers = new Headers(response.headers);
  const policy = headers.get("content-security-policy");
  if (policy)
    headers.set("content-security-policy", policy.replace("connect-src 'self'", `connect-src 'self' ${new URL(reporting.dsn).origin}`));
  return new HTMLRewriter()
    .on("head", {
      element: (head) => void head.append(`<meta name="kt-error-reporting" content="${Bun.escapeHTML(content)}">`, { html: true }),
    })
    .transform(new Response(response.body, { status: response.status, statusText: response.statusText, headers }));
}

// SolidStart labels pages plain "text/html"; say UTF-8 outright so nothing
// (curl, proxies, old browsers) has to sniff the <meta charset>.
function withCharset(response: Response): Response {
  if (response.headers.get("content-type") !== "text/html") return response;
  const headers = new Headers(response.headers);
  headers.set("content-type", "text/html; charset=utf-8");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function loadSsrEntry(entryPath: string): Promise<SsrEntry> {
  if (!(await Bun.file(entryPath).exists())) {
    throw new Error(
      `web app is not built (${entryPath} is missing): run ` +
        "`cd client && ../node_modules/.bin/bun --bun ../node_modules/.bin/vite build`",
    );
  }
  const mod: unknown = await import(entryPath);
  const entry = (mod as { default?: unknown }).default;
  if (typeof entry !== "object" || entry === null || typeof (entry as SsrEntry).fetch !== "function") {
    throw new Error(`${entryPath} does not default-export a handler with fetch(request)`);
  }
  return entry as SsrEntry;
}

// The build is immutable once written, so the set of servable files is read
// once. Serving only from this map means no path traversal and no directory
// listings; dot-directories (.vite/manifest.json) are left out on purpose.
async function listStaticFiles(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const absolute = join(entry.parentPath, entry.name);
    const segments = relative(root, absolute).split(sep);
    if (segments.some((segment) => segment.startsWith("."))) continue;
    files.set(`/${segments.map(encodeURIComponent).join("/")}`, absolute);
  }
  return files;
}

function serveFile(request: Request, pathname: string, filePath: string): Response {
  const file = Bun.file(filePath);
  const headers = new Headers({
    "content-type": file.type,
    "cache-control": pathname.startsWith(HASHED_PREFIX) ? IMMUTABLE : REVALIDATE,
    "x-content-type-options": "nosniff",
  });
  if (request.method === "HEAD") {
    headers.set("content-length", String(file.size));
    return new Response(null, { headers });
  }
  return new Response(file, { headers });
}

if (import.meta.main) {
  const portFlag = process.argv.indexOf("--port");
  const port = Number(portFlag >= 0 ? process.argv[portFlag + 1] : (process.env.PORT ?? 3999));
  const handler = await createWebHandler();
  const server = Bun.serve({ port, fetch: handler });
  console.log(`web app on http://localhost:${server.port}`);
}
