// A video's title with inline rename for editors: the pencil turns the title
// into a field; Enter or leaving the field saves, Escape cancels.
import { useAction, useSubmission } from "@solidjs/router";
import { createSignal, Show, type JSX } from "solid-js";
import FormError from "~/components/FormError";
import type { Video } from "~/lib/types";
import { renameVideo } from "~/lib/videos";

export default function VideoTitle(props: { video: Video; canEdit: boolean; children: JSX.Element; onRenamed?: (video: Video) => void }) {
  const [editing, setEditing] = createSignal(false);
  const rename = useAction(renameVideo);
  const renaming = useSubmission(renameVideo, (input) => input[0] === props.video.id);
  const save = (value: string) => {
    setEditing(false);
    const title = value.replace(/\s+/g, " ").trim();
    if (!title || title === props.video.title) return;
    void rename(props.video.id, title)
      .then((v) => props.onRenamed?.(v))
      .catch(() => {});
  };
  return (
    <>
      <Show
        when={editing()}
        fallback={
          <span class="video-title">
            {props.children}
            <Show when={props.canEdit}>
              <button
                type="button"
                class="icon-button icon-button--tiny video-title__edit"
                aria-label={`Rename “${props.video.title}”`}
                title="Rename"
                onClick={() => setEditing(true)}
              >
                <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
                  <path
                    d="M4 20h4L19 9l-4-4L4 16v4zM14 6l4 4"
                    fill="none"
                    stroke="currentColor"
                    stroke-width="1.8"
                    stroke-linejoin="round"
                  />
                </svg>
              </button>
            </Show>
          </span>
        }
      >
        <input
          class="video-title__input"
          aria-label="Video title"
          value={props.video.title}
          maxLength={300}
          ref={(el) => queueMicrotask(() => (el.focus(), el.select()))}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              save(e.currentTarget.value);
            }
            if (e.key === "Escape") {
              e.stopPropagation();
              setEditing(false);
            }
          }}
          onBlur={(e) => editing() && save(e.currentTarget.value)}
        />
      </Show>
      <FormError error={renaming.error} />
    </>
  );
}
