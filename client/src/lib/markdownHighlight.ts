// Code highlighting for answers, loaded only when an answer first contains a
// code block: shiki's core with the JavaScript regex engine (no wasm) and a
// handful of languages, so the chat page's own bundle stays small.
import type { HighlighterCore } from "shiki/core";

const ALIASES: Record<string, string> = {
  ts: "typescript",
  typescript: "typescript",
  tsx: "typescript",
  js: "javascript",
  javascript: "javascript",
  jsx: "javascript",
  mjs: "javascript",
  py: "python",
  python: "python",
  sh: "bash",
  shell: "bash",
  bash: "bash",
  zsh: "bash",
  console: "bash",
  json: "json",
  sql: "sql",
  html: "html",
  xml: "html",
  css: "css",
  yaml: "yaml",
  yml: "yaml",
  go: "go",
  rust: "rust",
  rs: "rust",
};

// Each grammar is its own chunk, fetched the first time an answer uses it.
const GRAMMARS: Record<string, () => Promise<unknown>> = {
  typescript: () => import("shiki/langs/typescript.mjs"),
  javascript: () => import("shiki/langs/javascript.mjs"),
  python: () => import("shiki/langs/python.mjs"),
  bash: () => import("shiki/langs/bash.mjs"),
  json: () => import("shiki/langs/json.mjs"),
  sql: () => import("shiki/langs/sql.mjs"),
  html: () => import("shiki/langs/html.mjs"),
  css: () => import("shiki/langs/css.mjs"),
  yaml: () => import("shiki/langs/yaml.mjs"),
  go: () => import("shiki/langs/go.mjs"),
  rust: () => import("shiki/langs/rust.mjs"),
};

export type Highlight = (code: string, lang: string) => string | null;

let core: Promise<HighlighterCore> | null = null;
const grammars = new Map<string, Promise<void>>();

export function canonicalLanguage(lang: string): string | null {
  return ALIASES[lang.toLowerCase()] ?? null;
}

function loadCore(): Promise<HighlighterCore> {
  core ??= (async () => {
    const [{ createHighlighterCore }, { createJavaScriptRegexEngine }] = await Promise.all([
      import("shiki/core"),
      import("shiki/engine/javascript"),
    ]);
    return createHighlighterCore({
      themes: [import("shiki/themes/github-light.mjs"), import("shiki/themes/github-dark.mjs")],
      langs: [],
      engine: createJavaScriptRegexEngine(),
    });
  })();
  core.catch(() => (core = null));
  return core;
}

/** Languages of the fenced blocks in `text` that we can highlight. */
export function fencedLanguages(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/^\s{0,3}(?:```|~~~)\s*([\w+-]+)/gm)) {
    const lang = canonicalLanguage(m[1]!);
    if (lang) out.add(lang);
  }
  return [...out];
}

/** Resolves to a synchronous highlighter that knows `languages` (downloading what is missing). */
export async function loadHighlighter(languages: string[]): Promise<Highlight> {
  const highlighter = await loadCore();
  await Promise.all(
    languages.map((lang) => {
      let loading = grammars.get(lang);
      if (!loading) {
        loading = GRAMMARS[lang]!().then((mod) => highlighter.loadLanguage((mod as { default: never }).default));
        loading.catch(() => grammars.delete(lang));
        grammars.set(lang, loading);
      }
      return loading;
    }),
  );
  return (code: string, lang: string) => {
    const language = canonicalLanguage(lang);
    if (!language || !highlighter.getLoadedLanguages().includes(language)) return null;
    try {
      // Both themes as CSS variables; chat.css picks one by colour scheme.
      return highlighter.codeToHtml(code, { lang: language, themes: { light: "github-light", dark: "github-dark" }, defaultColor: false });
    } catch {
      return null;
    }
  };
}
