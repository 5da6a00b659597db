// Download the conversation as Markdown (citations become timestamp links) or JSON.
import { createSignal, onCleanup, onMount, Show } from "solid-js";
import { chatApi } from "~/lib/chatApi";

export default function ExportMenu(props: { conversationId: string }) {
  const [open, setOpen] = createSignal(false);
  let root: HTMLDivElement | undefined;
  const onDocClick = (e: MouseEvent) => root && !root.contains(e.target as Node) && setOpen(false);
  onMount(() => document.addEventListener("click", onDocClick));
  onCleanup(() => document.removeEventListener("click", onDocClick));
  return (
    <div
      class="menu"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === "Escape" && open()) {
          setOpen(false);
          (root?.querySelector("button") as HTMLButtonElement | null)?.focus();
        }
      }}
    >
      <button
        type="button"
        class="chat-btn chat-btn--ghost"
        aria-haspopup="true"
        aria-expanded={open()}
        aria-label="Export"
        onClick={() => setOpen(!open())}
      >
        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
          <path
            d="M12 4v11M7 10l5 5 5-5M5 20h14"
            fill="none"
            stroke="currentColor"
            stroke-width="1.8"
            stroke-linecap="round"
            stroke-linejoin="round"
          />
        </svg>
        <span class="chat-head__label">Export</span>
      </button>
      <Show when={open()}>
        <ul class="menu__list" role="list">
          <li>
            <a class="menu__item" href={chatApi.exportUrl(props.conversationId, "markdown")} download="" onClick={() => setOpen(false)}>
              Markdown <span class="menu__hint">.md, with timestamp links</span>
            </a>
          </li>
          <li>
            <a class="menu__item" href={chatApi.exportUrl(props.conversationId, "json")} download="" onClick={() => setOpen(false)}>
              JSON <span class="menu__hint">messages, sources, usage</span>
            </a>
          </li>
        </ul>
      </Show>
    </div>
  );
}
