// The author's switch for sharing the open conversation read-only with the
// collection's members; a menu beside Export, its button says when it is shared.
import { createSignal, onCleanup, onMount, Show } from "solid-js";

export default function ShareToggle(props: { shared: boolean; collectionName: string; onChange: (shared: boolean) => Promise<void> }) {
  const [open, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let root: HTMLDivElement | undefined;
  const onDocClick = (e: MouseEvent) => root && !root.contains(e.target as Node) && setOpen(false);
  onMount(() => document.addEventListener("click", onDocClick));
  onCleanup(() => document.removeEventListener("click", onDocClick));

  const change = async (shared: boolean) => {
    if (busy()) return;
    setBusy(true);
    setError(null);
    try {
      await props.onChange(shared);
    } catch (e) {
      setError(e instanceof Error && e.message ? e.message : "Sharing could not be changed. Try again.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      class="menu"
      ref={root}
      onKeyDown={(e) => e.key === "Escape" && open() && (setOpen(false), root?.querySelector("button")?.focus())}
    >
      <button
        type="button"
        class="chat-btn chat-btn--ghost"
        aria-haspopup="true"
        aria-expanded={open()}
        aria-label={props.shared ? "Shared with the collection" : "Share: private"}
        onClick={() => setOpen(!open())}
      >
        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
          <path
            d="M16 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM8 13a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM2 20c0-3 3-5 6-5s6 2 6 5M14 15c3-1 8 0 8 5"
            fill="none"
            stroke="currentColor"
            stroke-width="1.8"
            stroke-linecap="round"
          />
        </svg>
        <span class="chat-head__label">{props.shared ? "Shared" : "Share"}</span>
      </button>
      <Show when={open()}>
        <div class="menu__list share-toggle">
          <label class="share-toggle__row">
            <input
              type="checkbox"
              role="switch"
              aria-checked={props.shared}
              checked={props.shared}
              aria-busy={busy()}
              onChange={(e) => {
                const box = e.currentTarget;
                // A refused change puts the box back to what the server has.
                void change(box.checked).then(() => (box.checked = props.shared));
              }}
            />
            <span>Share with collection members (read-only)</span>
          </label>
          <p class="menu__hint">
            Members of {props.collectionName} can read and export this conversation; only you can ask in it. Turn it off to make it private
            again.
          </p>
          <Show when={error()}>
            <p class="form-error" role="alert">
              {error()}
            </p>
          </Show>
        </div>
      </Show>
    </div>
  );
}
