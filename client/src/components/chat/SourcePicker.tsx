// The sources of the conversation (NotebookLM's checkboxes): chips above the
// composer name what answers draw on, "Sources" opens the list of the
// collection's videos to tick. Nothing ticked means every video.
import { createSignal, For, onCleanup, onMount, Show } from "solid-js";
import type { Video } from "~/lib/types";

export default function SourcePicker(props: {
  videos: readonly Video[];
  chosen: readonly string[];
  disabled?: boolean;
  onChange: (videoIds: string[]) => void;
}) {
  const [open, setOpen] = createSignal(false);
  let root: HTMLDivElement | undefined;
  const chosenVideos = () => props.videos.filter((v) => props.chosen.includes(v.id));
  const all = () => chosenVideos().length === 0;
  const toggle = (id: string, on: boolean) => {
    const next = on ? [...props.chosen, id] : props.chosen.filter((x) => x !== id);
    // Every video ticked is the same as none: the whole collection, new videos included.
    props.onChange(next.length === props.videos.length ? [] : next);
  };
  // In onMount: the server renders this too, and has no document to clean up.
  onMount(() => {
    const onDocClick = (e: MouseEvent) => open() && root && !root.contains(e.target as Node) && setOpen(false);
    document.addEventListener("click", onDocClick);
    onCleanup(() => document.removeEventListener("click", onDocClick));
  });

  return (
    <div
      class="source-picker"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === "Escape" && open()) {
          e.stopPropagation();
          setOpen(false);
          root?.querySelector<HTMLButtonElement>(".source-picker__toggle")?.focus();
        }
      }}
    >
      <ul class="source-picker__chips" aria-label="Sources of this conversation">
        <Show when={!all()} fallback={<li class="source-chip source-chip--all">All videos ({props.videos.length})</li>}>
          <For each={chosenVideos()}>
            {(v) => (
              <li class="source-chip" title={v.title}>
                <span class="source-chip__title">{v.title}</span>
                <button
                  type="button"
                  class="source-chip__remove"
                  aria-label={`Stop using “${v.title}”`}
                  disabled={props.disabled}
                  onClick={() => toggle(v.id, false)}
                >
                  ✕
                </button>
              </li>
            )}
          </For>
        </Show>
      </ul>
      <button
        type="button"
        class="source-picker__toggle chat-link"
        aria-expanded={open()}
        aria-controls="source-picker-list"
        disabled={props.disabled || props.videos.length === 0}
        onClick={() => setOpen(!open())}
      >
        Choose sources
      </button>
      <Show when={open()}>
        <fieldset id="source-picker-list" class="source-picker__list">
          <legend>Answer from</legend>
          <label class="source-picker__option">
            <input type="checkbox" checked={all()} disabled={all()} onChange={() => props.onChange([])} />
            <span>All videos of the collection</span>
          </label>
          <For each={props.videos}>
            {(v) => (
              <label class="source-picker__option">
                <input type="checkbox" checked={props.chosen.includes(v.id)} onChange={(e) => toggle(v.id, e.currentTarget.checked)} />
                <span class="source-picker__name">{v.title}</span>
                <Show when={v.status !== "ready"}>
                  <span class="source-picker__status">{v.status}</span>
                </Show>
              </label>
            )}
          </For>
        </fieldset>
      </Show>
    </div>
  );
}
