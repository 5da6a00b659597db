import { expect, test } from "bun:test";
import DOMPurify from "dompurify";
import { Window } from "happy-dom";
import { renderMarkdown } from "./markdown";
import { canonicalLanguage, fencedLanguages, loadHighlighter } from "./markdownHighlight";

test("only fenced languages we ship a grammar for are loaded, by canonical name", () => {
  expect(fencedLanguages("```ts\na\n```\n~~~ py\nb\n~~~\n```brainfuck\n```\n```TSX\n")).toEqual(["typescript", "python"]);
  expect(canonicalLanguage("YML")).toBe("yaml");
  expect(canonicalLanguage("cobol")).toBeNull();
});

test("highlighted code survives sanitising with its colours and stays inert", async () => {
  const highlight = await loadHighlighter(["typescript"]);
  const purifier = DOMPurify(new Window() as unknown as Parameters<typeof DOMPurify>[0]);
  const html = renderMarkdown('```ts\nconst s = "<img src=x onerror=alert(1)>";\n```', { highlight, purify: (h) => purifier.sanitize(h) });
  expect(html).toContain("--shiki-light:");
  expect(html).not.toContain("<img");
  expect(html).toContain("&lt;img");
  expect(highlight("x = 1", "python")).toBeNull();
});
