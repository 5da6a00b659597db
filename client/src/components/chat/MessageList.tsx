// The conversation log. Follows the newest text while the reader is at the
// bottom; scrolling up stops that and shows "Jump to latest", reaching the
// bottom again resumes it. A new question always jumps to the bottom.
import { createEffect, createSignal, For, on, onCleanup, onMount, Show, type JSX } from "solid-js";
import type { ChatMessage } from "~/lib/chatState";
import Message from "./Message";

const NEAR_BOTTOM_PX = 64;

export default function MessageList(props: {
  messages: ChatMessage[];
  selectedAnswerId: string | null;
  onSelect: (id: string) => void;
  /** Asks again in place of an answer (retry, regenerate, or an edited question); absent on a conversation the reader may not ask in. */
  onRetry?: (answerId: string, question?: string) => void;
  /** A citation was clicked: show that source's moment. */
  onOpenSource: (answerId: string, n: number) => void;
  empty: JSX.Element;
}) {
  let scroller: HTMLDivElement | undefined;
  let content: HTMLDivElement | undefined;
  const [follow, setFollow] = createSignal(true);
  let programmatic = false;

  const toBottom = (smooth = false) => {
    if (!scroller) return;
    programmatic = true;
    scroller.scrollTo({ top: scroller.scrollHeight, behavior: smooth ? "smooth" : "auto" });
    setFollow(true);
    requestAnimationFrame(() => (programmatic = false));
  };

  const onScroll = () => {
    if (!scroller || programmatic) return;
    setFollow(scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX);
  };

  onMount(() => {
    // Content grows as tokens arrive; stay pinned while following.
    const observer = new ResizeObserver(() => follow() && toBottom());
    if (content) observer.observe(content);
    onCleanup(() => observer.disconnect());
  });

  // A new question (the user's own message appears) jumps to the bottom.
  createEffect(
    on(
      () => props.messages.filter((m) => m.role === "user").length,
      () => queueMicrotask(() => toBottom()),
    ),
  );

  // One answer at a time: nothing is replaced while any answer is being written.
  const writing = () => props.messages.some((m) => m.status === "streaming");
  const canReplace = (m: ChatMessage | undefined) => Boolean(props.onRetry && m?.role === "assistant" && !writing());
  const answerAfter = (i: number) => (props.messages[i]?.role === "user" ? props.messages[i + 1] : undefined);

  return (
    <div class="chat-log-wrap">
      <div
        ref={scroller}
        class="chat-log"
        onScroll={onScroll}
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label="Conversation"
        tabindex="0"
      >
        <div ref={content} class="chat-log__inner">
          <Show when={props.messages.length} fallback={props.empty}>
            <For each={props.messages}>
              {(m, i) => (
                <Message
                  message={m}
                  selected={m.id === props.selectedAnswerId}
                  onSelect={() => props.onSelect(m.id)}
                  onRetry={m.status === "failed" && props.onRetry ? () => props.onRetry?.(m.id) : undefined}
                  onRegenerate={canReplace(m) ? () => props.onRetry?.(m.id) : undefined}
                  onEdit={canReplace(answerAfter(i())) ? (q) => props.onRetry?.(answerAfter(i())!.id, q) : undefined}
                  onOpenSource={(n) => props.onOpenSource(m.id, n)}
                />
              )}
            </For>
          </Show>
        </div>
      </div>
      <Show when={!follow() && props.messages.length}>
        <button type="button" class="jump-latest" onClick={() => toBottom(true)}>
          ↓ Jump to latest
        </button>
      </Show>
    </div>
  );
}
