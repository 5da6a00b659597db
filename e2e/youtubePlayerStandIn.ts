// A stand-in for YouTube's player in the browser, since youtube.com is not
// reachable from the tests: the IFrame API script (www.youtube.com/iframe_api)
// and the embedded frame (/embed/<id>) are answered through Playwright's
// routing. Like the real API, YT.Player replaces its element with an iframe
// whose URL carries the playerVars (so `start`), and calls onReady once the
// frame has loaded (the page's CSP must allow it). Every load and seek the page
// asks for is logged in the page, in order (playerCalls reads the log).
import type { BrowserContext, Page } from 'playwright-core'

export type PlayerCall = { kind: 'load' | 'seek'; videoId: string; seconds: number }

// Runs in the page: the subset of YT.Player the product uses, plus getters.
const API_SCRIPT = `(() => {
  const log = (window.__ktYoutubeCalls = window.__ktYoutubeCalls || []);
  const report = (call) => log.push(call);
  class Player {
    constructor(element, options) {
      const mount = typeof element === "string" ? document.getElementById(element) : element;
      const vars = options.playerVars || {};
      this.videoId = options.videoId;
      this.time = Number(vars.start || 0);
      this.state = -1;
      const src = new URL("https://www.youtube.com/embed/" + encodeURIComponent(options.videoId));
      for (const [key, value] of Object.entries(vars)) src.searchParams.set(key, String(value));
      src.searchParams.set("enablejsapi", "1");
      src.searchParams.set("origin", location.origin);
      const frame = document.createElement("iframe");
      frame.src = src.href;
      frame.title = mount.title;
      frame.className = mount.className;
      frame.width = String(options.width || 640);
      frame.height = String(options.height || 360);
      frame.addEventListener("load", () => options.events && options.events.onReady && options.events.onReady({ target: this }), { once: true });
      mount.replaceWith(frame);
      this.frame = frame;
      report({ kind: "load", videoId: this.videoId, seconds: this.time });
    }
    seekTo(seconds) {
      this.time = seconds;
      report({ kind: "seek", videoId: this.videoId, seconds });
    }
    playVideo() { this.state = 1; }
    pauseVideo() { this.state = 2; }
    getCurrentTime() { return this.time; }
    getPlayerState() { return this.state; }
    destroy() { this.frame.remove(); }
  }
  window.YT = { Player, PlayerState: { UNSTARTED: -1, ENDED: 0, PLAYING: 1, PAUSED: 2 } };
  setTimeout(() => window.onYouTubeIframeAPIReady && window.onYouTubeIframeAPIReady(), 0);
})();`

const EMBED_PAGE = '<!DOCTYPE html><meta charset="utf-8"><title>YouTube stand-in</title><body style="margin:0;background:#000"></body>'

/** What the page asked of the player since the document loaded: each video loaded (at its start) and each seek. */
export function playerCalls(page: Page): Promise<PlayerCall[]> {
  return page.evaluate(() => (window as { __ktYoutubeCalls?: PlayerCall[] }).__ktYoutubeCalls ?? [])
}

/** Routes the context's YouTube player requests to the stand-in; `embeds` lists the frames asked for. */
export async function routeYoutubePlayer(context: BrowserContext): Promise<{ embeds: URL[] }> {
  const embeds: URL[] = []
  // Anything else of YouTube's (thumbnails, widget scripts) is not part of the stand-in. Registered
  // first: Playwright tries the routes last-registered first.
  await context.route(/^https:\/\/([a-z0-9-]+\.)*(youtube(-nocookie)?\.com|ytimg\.com)\//, (route) => route.abort())
  await context.route('https://www.youtube.com/iframe_api', (route) =>
    route.fulfill({ contentType: 'text/javascript; charset=utf-8', body: API_SCRIPT }),
  )
  await context.route(/^https:\/\/www\.youtube(-nocookie)?\.com\/embed\//, (route) => {
    embeds.push(new URL(route.request().url()))
    return route.fulfill({ contentType: 'text/html; charset=utf-8', body: EMBED_PAGE })
  })
  return { embeds }
}
