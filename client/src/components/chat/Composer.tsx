// Where questions are written. Enter sends, Shift+Enter starts a new line
// (and nothing is sent mid IME composition); while an answer streams the send
// button becomes Stop. The api takes at most 8,000 characters.
import { createEffect, createSignal, on, Show } from "solid-js";

export const MAX_QUESTION_CHARS = 8000;

export default function Composer(props: {
  streaming: boolean;
  disabled?: boolean;
  disabledReason?: string;
  placeholder: string;
  error?: string | null;
  onSend: (text: string) => Promise<boolean>;
  onStop: () => void;
  /** Text put in by a suggestion or a retry. */
  prefill?: { text: string; at: number } | null;
  /** A new value (a conversation opened) puts the cursor here, on devices with a keyboard. */
  focusKey?: string | null;
}) {
  const [text, setText] = createSignal("");
  const [sending, setSending] = createSignal(false);
  let area: HTMLTextAreaElement | undefined;

  const resize = () => {
    if (!area) return;
    area.style.height = "auto";
    area.style.height = `${Math.min(area.scrollHeight, 240)}px`;
  };
  createEffect(() => {
    const p = props.prefill;
    if (!p) return;
    setText(p.text);
    queueMicrotask(() => {
      resize();
      area?.focus();
    });
  });

  createEffect(
    on(
      () => props.focusKey,
      (key) => {
        // Phones would pop their keyboard over the conversation.
        if (key && !props.disabled && matchMedia("(pointer: fine)").matches) queueMicrotask(() => area?.focus());
      },
    ),
  );

  const over = () => text().length > MAX_QUESTION_CHARS;
  const canSend = () => !props.disabled && !props.streaming && !sending() && text().trim().length > 0 && !over();
  const submit = async () => {
    if (!canSend()) return;
    setSending(true);
    const sent = await props.onSend(text());
    setSending(false);
    if (sent) {
      setText("");
      queueMicrotask(resize);
    }
    area?.focus();
  };

  return (
    <form
      class="composer"
      classList={{ "composer--disabled": props.disabled }}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Show when={props.error}>
        <p class="composer__error" role="alert">
          {props.error}
        </p>
      </Show>
      <div class="composer__box">
        <label class="visually-hidden" for="chat-question">
          Your question
        </label>
        <textarea
          ref={area}
          id="chat-question"
          class="composer__input"
          rows="1"
          placeholder={props.disabled ? props.disabledReason : props.placeholder}
          disabled={props.disabled}
          value={text()}
          aria-describedby="composer-hint"
          aria-invalid={over()}
          onInput={(e) => {
            setText(e.currentTarget.value);
            resize();
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        <Show
          when={props.streaming}
          fallback={
            <button type="submit" class="composer__send" disabled={!canSend()} aria-label="Send question">
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path
                  d="M12 19V5M5 12l7-7 7 7"
                  fill="none"
                  stroke="currentColor"
                  stroke-width="2.2"
                  stroke-linecap="round"
                  stroke-linejoin="round"
                />
              </svg>
            </button>
          }
        >
          <button type="button" class="composer__send composer__send--stop" onClick={() => props.onStop()} aria-label="Stop the answer">
            <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
              <rect x="5" y="5" width="14" height="14" rx="2" fill="currentColor" />
            </svg>
          </button>
        </Show>
      </div>
      <p id="composer-hint" class="composer__hint">
        <span>
          <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
        </span>
        <Show when={text().length > MAX_QUESTION_CHARS * 0.9}>
          <span classList={{ "composer__count--over": over() }} aria-live="polite">
            {text().length.toLocaleString()} / {MAX_QUESTION_CHARS.toLocaleString()}
          </span>
        </Show>
      </p>
    </form>
  );
}
