// @refresh reload
// The HTML document every page is rendered into. Pages render in "async" mode:
// the response waits for the page's data, so a missing collection is a real
// 404, a missing session a real 302, and refreshed session cookies make it
// into the response headers. Each page gets a fresh CSP nonce (pagePolicy.ts).
import { createHandler, StartServer } from "@solidjs/start/server";
import { newNonce, pagePolicy } from "./lib/pagePolicy";

export default createHandler(
  () => (
    <StartServer
      document={({ assets, children, scripts }) => (
        <html lang="en">
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <meta name="color-scheme" content="light dark" />
            <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
            {assets}
          </head>
          <body>
            <div id="app">{children}</div>
            {scripts}
          </body>
        </html>
      )}
    />
  ),
  (event) => {
    const nonce = newNonce();
    event.response.headers.set("content-security-policy", pagePolicy(nonce));
    return { mode: "async", nonce };
  },
);
