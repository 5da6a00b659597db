// The Content-Security-Policy of every rendered page. Scripts run only from
// our origin or with this response's nonce (SolidStart puts it on its
// hydration and data scripts); nothing may frame us, plugins are off, <base>
// cannot be re-pointed, forms post only to us. YouTube's player (script and
// iframe) is allowed on the video pages alone, where it is embedded. Styles
// allow inline `style` attributes: components set them (progress widths,
// chart sizes), and a style cannot run code.
const YOUTUBE_PAGES = /^\/videos\//;

export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes));
}

export function pagePolicy(pathname: string, nonce: string): string {
  const youtube = YOUTUBE_PAGES.test(pathname);
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${youtube ? " https://www.youtube.com https://s.ytimg.com" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${youtube ? " https://i.ytimg.com" : ""}`,
    "font-src 'self'",
    "connect-src 'self'",
    `frame-src ${youtube ? "https://www.youtube.com https://www.youtube-nocookie.com" : "'none'"}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
