// Answer Markdown → sanitised HTML, safe to re-run on every streamed token.
// Two layers: the renderer itself never emits markup from the answer (raw HTML
// is shown as text, only http(s)/mailto/same-site links survive, images become
// links), and DOMPurify then cleans the result in the browser. Citation
// markers `[n]` / `[1, 2]` become chip buttons for numbers that name one of
// the message's sources; the rest are dropped from display.
import DOMPurify from "dompurify";
import { Marked, type Tokens } from "marked";
import { hasUnsafeUrlCharacters, sameSitePath } from "../../../server/platform/sameSitePath";
import { formatClock } from "./chatFormat";

export type CitationSource = { n: number; videoTitle: string; startSeconds: number | null };

export type RenderOptions = {
  sources?: readonly CitationSource[];
  /** The text is still arriving: hide a half-written trailing marker. */
  streaming?: boolean;
  /** Returns highlighted HTML for a code block, or null to show it plain. */
  highlight?: (code: string, lang: string) => string | null;
  /** The sanitiser; defaults to DOMPurify on the browser's window. */
  purify?: (html: string) => string;
};

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * Only web, mail and same-site links; `javascript:`, `data:`, `vbscript:`… are
 * refused, and a same-site path must still be one after the browser drops
 * tabs and newlines (the rule the sign-in redirects use).
 */
export function safeUrl(href: string | null | undefined): string | null {
  if (!href) return null;
  const h = href.trim();
  if (hasUnsafeUrlCharacters(h)) return null;
  if (/^(https?:\/\/|mailto:)/i.test(h)) return h;
  if (/^[#?]/.test(h)) return h;
  if (h.startsWith("/")) return sameSitePath(h);
  return null;
}

const MARKER = /^\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\](?!\()/;

// marked parses synchronously, so one instance reads the options of the call in progress.
let current: RenderOptions = {};

function chip(n: number, source: CitationSource): string {
  const when = source.startSeconds === null ? "" : `, ${formatClock(source.startSeconds)}`;
  const label = escapeHtml(`Source ${n}: ${source.videoTitle}${when}`);
  return `<button type="button" class="cite-chip" data-cite="${n}" aria-label="${label}">${n}</button>`;
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    link({ href, title, tokens }) {
      const inner = this.parser.parseInline(tokens);
      const url = safeUrl(href);
      if (!url) return inner;
      const t = title ? ` title="${escapeHtml(title)}"` : "";
      return `<a href="${escapeHtml(url)}"${t} target="_blank" rel="noopener noreferrer">${inner}</a>`;
    },
    // Pictures from an answer could track the reader; show where they point instead.
    image({ href, text }) {
      const url = safeUrl(href);
      const label = escapeHtml(text || "image");
      return url ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${label}</a>` : label;
    },
    code({ text, lang }: Tokens.Code) {
      const language = (lang ?? "").trim().split(/\s+/)[0]!.toLowerCase();
      const highlighted = language ? current.highlight?.(text, language) : null;
      const body =
        highlighted ?? `<pre><code${language ? ` class="language-${escapeHtml(language)}"` : ""}>${escapeHtml(text)}</code></pre>`;
      const label = language ? `<span class="md-code__lang">${escapeHtml(language)}</span>` : "<span></span>";
      return `<div class="md-code"><div class="md-code__bar">${label}<button type="button" class="md-code__copy" data-copy-code>Copy</button></div>${body}</div>`;
    },
  },
  extensions: [
    {
      name: "citation",
      level: "inline",
      start: (src: string) => {
        const i = src.search(/\[\d/);
        return i === -1 ? undefined : i;
      },
      tokenizer(src: string) {
        const m = MARKER.exec(src);
        if (!m) return undefined;
        return { type: "citation", raw: m[0], numbers: m[1]!.split(",").map((p) => Number(p.trim())) };
      },
      renderer(token) {
        const byN = new Map((current.sources ?? []).map((s) => [s.n, s]));
        const seen = new Set<number>();
        const chips = (token.numbers as number[]).filter((n) => byN.has(n) && !seen.has(n) && seen.add(n)).map((n) => chip(n, byN.get(n)!));
        return chips.length ? `<span class="cite-group">${chips.join("")}</span>` : "";
      },
    },
  ],
});

let browserPurify: ((html: string) => string) | null = null;

function defaultPurify(html: string): string {
  if (typeof window === "undefined") throw new Error("renderMarkdown needs a browser (or an explicit `purify`)");
  if (!browserPurify) {
    const purifier = DOMPurify(window);
    // DOMPurify drops target by default; put back the one our renderer sets.
    purifier.addHook("afterSanitizeAttributes", (node) => {
      if (node.tagName === "A" && node.hasAttribute("href")) {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
      }
    });
    browserPurify = (h) =>
      purifier.sanitize(h, {
        FORBID_TAGS: ["style", "form", "input", "textarea", "select", "img", "svg", "math", "iframe"],
        FORBID_ATTR: ["srcset"],
      });
  }
  return browserPurify(html);
}

/** Text the reader should not see half-formed while it streams: a marker such as `[1,` at the very end. */
export function trimStreamingTail(text: string): string {
  return text.replace(/\[\d[\d,\s]*$/, "");
}

export function renderMarkdown(text: string, options: RenderOptions = {}): string {
  current = options;
  try {
    const source = options.streaming ? trimStreamingTail(text) : text;
    const html = marked.parse(source) as string;
    return (options.purify ?? defaultPurify)(html);
  } finally {
    current = {};
  }
}

/** Citation numbers that would show as chips, in order of first use (for the sources panel). */
export function citedInText(text: string, validNumbers: ReadonlySet<number>): number[] {
  const used: number[] = [];
  for (const m of text.matchAll(/\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\](?!\()/g))
    for (const p of m[1]!.split(",")) {
      const n = Number(p.trim());
      if (validNumbers.has(n) && !used.includes(n)) used.push(n);
    }
  return used;
}
