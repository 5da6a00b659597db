// The passages behind the selected answer, NotebookLM-style: cited ones first
// and numbered like the chips, then the rest that were retrieved. Each opens
// its moment beside the chat (onOpen; a modified click or a new tab still goes
// to the transcript at its second); YouTube sources also link to the video.
import { For, Show } from "solid-js";
import { formatRange, isYouTubeLink, momentHref } from "~/lib/chatFormat";
import type { Source } from "~/lib/types";

export default function SourcesPanel(props: {
  sources: readonly Source[];
  cited: readonly number[];
  highlighted?: number | null;
  streaming?: boolean;
  onOpen?: (n: number) => void;
}) {
  const cited = () => props.sources.filter((s) => props.cited.includes(s.n));
  const others = () => props.sources.filter((s) => !props.cited.includes(s.n));
  const item = (s: Source, isCited: boolean) => (
    <li class="source" classList={{ "source--cited": isCited, "source--hl": props.highlighted === s.n }}>
      <a
        class="source__link"
        href={momentHref(s)}
        onClick={(e) => {
          if (!props.onOpen || e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          props.onOpen(s.n);
        }}
        aria-label={`Source ${s.n}: ${s.videoTitle}, ${formatRange(s.startSeconds, s.endSeconds)} — ${props.onOpen ? "show the moment" : "open the transcript"}`}
      >
        <span class="source__n" aria-hidden="true">
          {s.n}
        </span>
        <span class="source__text">
          <span class="source__title">{s.videoTitle}</span>
          <span class="source__time">
            {formatRange(s.startSeconds, s.endSeconds)}
            <Show when={s.speakers.length}> · {s.speakers.join(", ")}</Show>
          </span>
          <span class="source__snippet">{s.snippet}</span>
        </span>
      </a>
      <Show when={isYouTubeLink(s.deepLink)}>
        <a
          class="source__yt"
          href={s.deepLink}
          target="_blank"
          rel="noopener noreferrer"
          aria-label={`Watch source ${s.n} on YouTube`}
          title="Watch on YouTube"
        >
          ▶
        </a>
      </Show>
    </li>
  );
  return (
    <div class="sources">
      <Show
        when={props.sources.length}
        fallback={
          <p class="panel-empty">
            {props.streaming
              ? "Finding passages…"
              : "Ask a question: the passages its answer draws on show up here, each linked to its moment in the video."}
          </p>
        }
      >
        <Show when={cited().length}>
          <h3 class="panel-subtitle">Cited in the answer</h3>
          <ol class="source-list">
            <For each={cited()}>{(s) => item(s, true)}</For>
          </ol>
        </Show>
        <Show when={others().length}>
          <h3 class="panel-subtitle">
            {cited().length ? "Also retrieved" : props.streaming ? "Retrieved passages" : "Retrieved, not cited"}
          </h3>
          <ol class="source-list">
            <For each={others()}>{(s) => item(s, false)}</For>
          </ol>
        </Show>
      </Show>
    </div>
  );
}
