// The Content-Security-Policy of every rendered page. Scripts run only from
// our origin or with this response's nonce (SolidStart puts it on its
// hydration and data scripts); nothing may frame us, plugins are off, <base>
// cannot be re-pointed, forms post only to us. YouTube's player (the IFrame API
// script and its iframe) is allowed on every page, not only where it is
// embedded (video pages, the cited moment beside the chat): a page reached by
// client-side navigation keeps the policy of the document first loaded, so a
// player opened after a click from the collection page would be blocked.
// The sources name paths, not the whole of www.youtube.com, which also serves
// JSONP endpoints (a known way around a host-wide script-src): the API script,
// the player script it loads (/s/player/<version>/…/www-widgetapi.js) and the
// embed frames.
// Styles allow inline `style` attributes: components set them (progress
// widths, chart sizes), and a style cannot run code.
const YOUTUBE_SCRIPTS = "https://www.youtube.com/iframe_api https://www.youtube.com/s/player/ https://s.ytimg.com";
const YOUTUBE_FRAMES = "https://www.youtube.com/embed/ https://www.youtube-nocookie.com/embed/";

export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes));
}

export function pagePolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' ${YOUTUBE_SCRIPTS}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https://i.ytimg.com",
    "font-src 'self'",
    "connect-src 'self'",
    `frame-src ${YOUTUBE_FRAMES}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
