// Rendered Markdown of an answer or artifact. Re-renders as text streams in,
// loads the code highlighter the first time a code block appears, and handles
// the clicks inside the HTML: citation chips (popover on hover/focus; a click
// opens the moment beside the chat when the host can, else the transcript) and
// code copy buttons.
import { useNavigate } from "@solidjs/router";
import { createEffect, createMemo, createSignal, onCleanup, Show } from "solid-js";
import { momentHref } from "~/lib/chatFormat";
import type { Source } from "~/lib/types";
import { renderMarkdown } from "~/lib/markdown";
import { fencedLanguages, loadHighlighter, type Highlight } from "~/lib/markdownHighlight";
import CitationChip from "./CitationChip";

let popoverIds = 0;

export default function AnswerBody(props: {
  content: string;
  sources: readonly Source[];
  streaming?: boolean;
  onCite?: (n: number) => void;
  /** Shows a cited moment without leaving the page (the chat's side panel). */
  onOpenSource?: (n: number) => void;
}) {
  const navigate = useNavigate();
  const [highlight, setHighlight] = createSignal<Highlight>();
  const [active, setActive] = createSignal<{ source: Source; anchor: HTMLElement } | null>(null);
  const popoverId = `cite-popover-${++popoverIds}`;
  let hideTimer: ReturnType<typeof setTimeout> | undefined;

  // Re-render once the grammars of the code blocks seen so far are loaded.
  let known = "";
  createEffect(() => {
    const langs = fencedLanguages(props.content).join(",");
    if (langs === known) return;
    known = langs;
    if (langs)
      void loadHighlighter(langs.split(",")).then(
        (h) => setHighlight(() => h),
        () => {},
      );
  });
  const html = createMemo(() =>
    renderMarkdown(props.content, { sources: props.sources, streaming: props.streaming, highlight: highlight() }),
  );

  const chipOf = (target: EventTarget | null) =>
    target instanceof Element ? (target.closest("button.cite-chip") as HTMLButtonElement | null) : null;
  const sourceOf = (chip: HTMLElement) => props.sources.find((s) => s.n === Number(chip.dataset.cite));

  const show = (chip: HTMLButtonElement) => {
    clearTimeout(hideTimer);
    const source = sourceOf(chip);
    if (!source) return;
    active()?.anchor.removeAttribute("aria-describedby");
    chip.setAttribute("aria-describedby", popoverId);
    setActive({ source, anchor: chip });
  };
  const hideSoon = () => {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => {
      active()?.anchor.removeAttribute("aria-describedby");
      setActive(null);
    }, 180);
  };
  onCleanup(() => clearTimeout(hideTimer));
  // A streamed re-render replaces the chip the popover points at.
  createEffect(() => {
    html();
    const a = active();
    if (a && !a.anchor.isConnected) setActive(null);
  });

  const onClick = async (e: MouseEvent) => {
    const target = e.target as Element;
    const copy = target.closest?.("button[data-copy-code]") as HTMLButtonElement | null;
    if (copy) {
      const code = copy.closest(".md-code")?.querySelector("pre")?.textContent ?? "";
      await navigator.clipboard?.writeText(code).catch(() => {});
      copy.textContent = "Copied";
      setTimeout(() => (copy.textContent = "Copy"), 1500);
      return;
    }
    const chip = chipOf(target);
    if (!chip) return;
    const source = sourceOf(chip);
    if (!source) return;
    props.onCite?.(source.n);
    const href = momentHref(source);
    if (e.metaKey || e.ctrlKey) window.open(href, "_blank", "noopener");
    else if (props.onOpenSource) {
      setActive(null);
      props.onOpenSource(source.n);
    } else navigate(href);
  };

  return (
    <>
      <div
        class="md"
        innerHTML={html()}
        onClick={onClick}
        onPointerOver={(e) => {
          const chip = chipOf(e.target);
          if (chip && e.pointerType !== "touch") show(chip);
        }}
        onPointerOut={(e) => chipOf(e.target) && hideSoon()}
        onFocusIn={(e) => {
          const chip = chipOf(e.target);
          if (chip) show(chip);
        }}
        onFocusOut={(e) => chipOf(e.target) && hideSoon()}
        onKeyDown={(e) => {
          if (e.key === "Escape" && active()) {
            e.stopPropagation();
            setActive(null);
          }
        }}
      />
      <Show when={active()}>
        {(a) => (
          <CitationChip
            id={popoverId}
            source={a().source}
            anchor={a().anchor}
            onPointerEnter={() => clearTimeout(hideTimer)}
            onPointerLeave={hideSoon}
          />
        )}
      </Show>
    </>
  );
}
