import { describe, expect, test } from "bun:test";
import DOMPurify from "dompurify";
import { Window } from "happy-dom";
import { citedInText, renderMarkdown, safeUrl, trimStreamingTail } from "./markdown";

const window = new Window();
const purifier = DOMPurify(window as unknown as Parameters<typeof DOMPurify>[0]);
const purify = (html: string) => purifier.sanitize(html);
const sources = [
  { n: 1, videoTitle: "Intro <b>talk</b>", startSeconds: 75 },
  { n: 2, videoTitle: "Q&A", startSeconds: null },
];
// Both layers: the renderer alone (identity purify) and renderer + DOMPurify.
const layers = { "renderer alone": (h: string) => h, "with DOMPurify": purify };

/** Parses the HTML like a browser would, so tests assert on elements, not strings. */
function dom(html: string) {
  const div = window.document.createElement("div");
  div.innerHTML = html;
  return div;
}

describe("renderMarkdown — safety", () => {
  for (const [name, p] of Object.entries(layers)) {
    describe(name, () => {
      test("raw HTML in the answer is shown as text, never as elements", () => {
        const html = renderMarkdown(
          'Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> <iframe src="//evil"></iframe>\n\n<div onclick="x()">block</div>',
          { purify: p },
        );
        const el = dom(html);
        expect(el.querySelector("script, img, iframe, div")).toBeNull();
        expect(html).not.toMatch(/<(script|img|iframe)/i);
        expect(el.textContent).toContain("<script>alert(1)</script>");
        expect([...el.querySelectorAll("*")].some((e) => [...e.attributes].some((a) => a.name.startsWith("on")))).toBe(false);
      });

      test("javascript:, data: and vbscript: links lose their href; web links open safely in a new tab", () => {
        const el = dom(
          renderMarkdown(
            "[a](javascript:alert(1)) [b](data:text/html;base64,PHNjcmlwdD4=) [c](vbscript:x) [d](JaVaScRiPt&#58;alert(1)) [e](https://example.com/x?y=1) <https://auto.link>",
            { purify: p },
          ),
        );
        const links = [...el.querySelectorAll("a")];
        expect(links.map((a) => a.getAttribute("href"))).toEqual(["https://example.com/x?y=1", "https://auto.link"]);
        for (const a of links) {
          expect(a.getAttribute("target")).toBe("_blank");
          expect(a.getAttribute("rel")).toBe("noopener noreferrer");
        }
        expect(el.textContent).toContain("a b c d e");
      });

      test("images become links, so an answer cannot load pictures (or trackers)", () => {
        const el = dom(renderMarkdown("![pixel](https://t.example/p.gif) ![bad](javascript:x)", { purify: p }));
        expect(el.querySelector("img")).toBeNull();
        expect(el.querySelector("a")?.getAttribute("href")).toBe("https://t.example/p.gif");
      });

      test("code keeps its text escaped, with a copy button and its language", () => {
        const el = dom(renderMarkdown("```html\n<script>x</script>\n```", { purify: p }));
        expect(el.querySelector("pre code")?.textContent).toBe("<script>x</script>");
        expect(el.querySelector("script")).toBeNull();
        expect(el.querySelector(".md-code__lang")?.textContent).toBe("html");
        expect(el.querySelector("button[data-copy-code]")).not.toBeNull();
      });
    });
  }

  test("the default sanitiser refuses to run without a browser", () => {
    expect(() => renderMarkdown("x")).toThrow(/browser/);
  });
});

describe("renderMarkdown — citations", () => {
  test("markers become numbered chips only for numbers in the sources", () => {
    const el = dom(renderMarkdown("Fast [1]. Slow [3]. Both [1, 2, 7].", { sources, purify }));
    const chips = [...el.querySelectorAll("button.cite-chip")];
    expect(chips.map((c) => c.getAttribute("data-cite"))).toEqual(["1", "1", "2"]);
    expect(chips[0]!.getAttribute("type")).toBe("button");
    expect(el.textContent).not.toContain("[3]");
    expect(el.textContent).not.toContain("7");
  });

  test("chips name the source and its moment for screen readers, escaped", () => {
    const el = dom(renderMarkdown("See [1][2].", { sources, purify }));
    const [a, b] = [...el.querySelectorAll("button.cite-chip")];
    expect(a!.getAttribute("aria-label")).toBe("Source 1: Intro <b>talk</b>, 1:15");
    expect(a!.querySelector("b")).toBeNull();
    expect(b!.getAttribute("aria-label")).toBe("Source 2: Q&A");
  });

  test("markers inside code and real links stay as written", () => {
    const el = dom(renderMarkdown("`arr[1]` and [1](https://x.example) and\n\n```\nx[2]\n```", { sources, purify }));
    expect(el.querySelectorAll("button.cite-chip").length).toBe(0);
    expect(el.querySelector("code")?.textContent).toBe("arr[1]");
    expect(el.querySelector("a")?.textContent).toBe("1");
  });

  test("without sources every marker is dropped", () => {
    const el = dom(renderMarkdown("Claim [1].", { purify }));
    expect(el.textContent?.trim()).toBe("Claim .");
  });

  test("citedInText lists valid numbers in order of first use", () => {
    expect(citedInText("a [2] b [1, 9] c [2] `[3]`", new Set([1, 2, 3]))).toEqual([2, 1, 3]);
  });
});

describe("streaming", () => {
  test("a half-written marker at the end is hidden until it closes", () => {
    expect(trimStreamingTail("Speed is 5 [1")).toBe("Speed is 5 ");
    expect(trimStreamingTail("Speed is 5 [1, ")).toBe("Speed is 5 ");
    expect(trimStreamingTail("see [link")).toBe("see [link");
    const el = dom(renderMarkdown("Fast [1", { sources, streaming: true, purify }));
    expect(el.textContent?.trim()).toBe("Fast");
  });

  test("an unclosed code fence renders as code while it streams", () => {
    const el = dom(renderMarkdown("Try:\n\n```ts\nconst a = 1", { streaming: true, purify }));
    expect(el.querySelector("pre code")?.textContent).toContain("const a = 1");
  });

  test("a highlighter's output is used for known languages", () => {
    const html = renderMarkdown("```ts\nlet a\n```", {
      purify,
      highlight: (code, lang) => `<pre class="shiki" data-lang="${lang}"><code>${code.length}</code></pre>`,
    });
    expect(dom(html).querySelector("pre.shiki")?.getAttribute("data-lang")).toBe("ts");
  });
});

test("safeUrl", () => {
  expect(safeUrl("/videos/1?t=3")).toBe("/videos/1?t=3");
  expect(safeUrl("//evil.example")).toBeNull();
  expect(safeUrl(" javascript:alert(1)")).toBeNull();
  expect(safeUrl("mailto:a@b.c")).toBe("mailto:a@b.c");
  expect(safeUrl("#notes")).toBe("#notes");
  // Browsers drop tab/LF/CR and read \\ as /: each of these would leave the site.
  for (const href of [
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\t\\evil.example",
    "/\\evil.example",
    "/.//evil.example",
  ])
    expect(safeUrl(href)).toBeNull();
});

test("a link whose path leaves the site once tabs are dropped is shown as text", () => {
  const html = renderMarkdown("[docs](</\t/evil.example/phish>)", { purify });
  expect(dom(html).querySelector("a")).toBeNull();
  expect(dom(html).textContent).toContain("docs");
});
