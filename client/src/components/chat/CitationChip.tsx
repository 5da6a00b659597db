// The popover of a citation chip: which video, when, and what was said, with
// the ways to open that moment. Chips themselves are plain buttons emitted by
// the Markdown renderer; AnswerBody attaches this to them by delegation.
import { createSignal, onCleanup, onMount, Show } from "solid-js";
import { Portal } from "solid-js/web";
import { formatRange, isYouTubeLink, momentHref } from "~/lib/chatFormat";
import type { Source } from "~/lib/types";

export default function CitationChip(props: {
  source: Source;
  anchor: HTMLElement;
  id: string;
  onPointerEnter: () => void;
  onPointerLeave: () => void;
}) {
  const [pos, setPos] = createSignal({ top: 0, left: 0, above: true });
  let card: HTMLDivElement | undefined;

  const place = () => {
    const r = props.anchor.getBoundingClientRect();
    const width = Math.min(360, window.innerWidth - 16);
    const height = card?.offsetHeight ?? 180;
    const above = r.top > height + 16;
    const left = Math.max(8, Math.min(r.left + r.width / 2 - width / 2, window.innerWidth - width - 8));
    setPos({ top: above ? r.top - height - 8 : r.bottom + 8, left, above });
  };
  // Cancelled on cleanup: a click on the chip may close the popover within the
  // frame it opened in, and the props are gone by then.
  let frame = 0;
  onMount(() => {
    place();
    frame = requestAnimationFrame(place);
    window.addEventListener("scroll", place, true);
    window.addEventListener("resize", place);
  });
  onCleanup(() => {
    cancelAnimationFrame(frame);
    window.removeEventListener("scroll", place, true);
    window.removeEventListener("resize", place);
  });

  const s = () => props.source;
  return (
    <Portal>
      <div
        ref={card}
        id={props.id}
        role="tooltip"
        class="cite-popover"
        data-side={pos().above ? "above" : "below"}
        style={{ top: `${pos().top}px`, left: `${pos().left}px` }}
        onPointerEnter={() => props.onPointerEnter()}
        onPointerLeave={() => props.onPointerLeave()}
      >
        <div class="cite-popover__head">
          <span class="cite-popover__n">{s().n}</span>
          <span class="cite-popover__title">{s().videoTitle}</span>
        </div>
        <p class="cite-popover__time">
          {formatRange(s().startSeconds, s().endSeconds)}
          <Show when={s().speakers.length}> · {s().speakers.join(", ")}</Show>
        </p>
        <blockquote class="cite-popover__snippet">{s().snippet}</blockquote>
        <div class="cite-popover__actions">
          <a class="chat-link" href={momentHref(s())}>
            Open transcript at this moment
          </a>
          <Show when={isYouTubeLink(s().deepLink)}>
            <a class="chat-link" href={s().deepLink} target="_blank" rel="noopener noreferrer">
              Watch on YouTube ↗
            </a>
          </Show>
        </div>
      </div>
    </Portal>
  );
}
