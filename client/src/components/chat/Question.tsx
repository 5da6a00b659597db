// A question of the conversation, with "Edit": the edited question is sent
// again and replaces this exchange and everything after it. Enter sends,
// Shift+Enter breaks the line, Escape cancels.
import { createSignal, Show } from "solid-js";
import { MAX_QUESTION_CHARS } from "./Composer";

export default function Question(props: { content: string; onEdit?: (question: string) => void }) {
  const [draft, setDraft] = createSignal<string | null>(null);
  const send = () => {
    const text = draft()?.trim();
    if (!text || text.length > MAX_QUESTION_CHARS) return;
    setDraft(null);
    props.onEdit?.(text);
  };
  return (
    <article class="msg msg--user" aria-label="Your question">
      <Show
        when={draft() !== null}
        fallback={
          <>
            <p class="msg__question">{props.content}</p>
            <Show when={props.onEdit}>
              <div class="msg__footer msg__footer--question">
                {/* An icon, so the question's text is the bubble's only text. */}
                <button
                  type="button"
                  class="icon-btn"
                  aria-label="Edit question"
                  title="Edit question"
                  onClick={() => setDraft(props.content)}
                >
                  <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
                    <path
                      d="M4 20h4L19 9l-4-4L4 16zM14 6l4 4"
                      fill="none"
                      stroke="currentColor"
                      stroke-width="1.8"
                      stroke-linejoin="round"
                    />
                  </svg>
                </button>
              </div>
            </Show>
          </>
        }
      >
        <form
          class="question-edit"
          onSubmit={(e) => {
            e.preventDefault();
            send();
          }}
        >
          <label class="visually-hidden" for="question-edit">
            Edit your question
          </label>
          <textarea
            id="question-edit"
            class="input question-edit__text"
            rows={3}
            value={draft() ?? ""}
            ref={(el) => queueMicrotask(() => el.focus())}
            onInput={(e) => setDraft(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape") {
                e.stopPropagation();
                setDraft(null);
              } else if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
                e.preventDefault();
                send();
              }
            }}
          />
          <p class="question-edit__note">Sending replaces this answer and everything after it.</p>
          <div class="row-actions">
            <button type="submit" class="chat-btn chat-btn--primary chat-btn--small" disabled={!draft()?.trim()}>
              Send
            </button>
            <button type="button" class="chat-btn chat-btn--ghost chat-btn--small" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
    </article>
  );
}
