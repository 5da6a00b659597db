// Placeholder messages while a conversation loads (and before the page is
// interactive), shaped like a question and its answer so nothing jumps.
import { For } from "solid-js";

export default function ConversationSkeleton() {
  return (
    <div class="chat-log-wrap">
      <div class="chat-log" aria-busy="true" aria-label="Loading the conversation">
        <div class="chat-log__inner">
          <For each={[0, 1]}>
            {() => (
              <div class="skeleton-msg">
                <div class="skeleton skeleton--q" />
                <div class="skeleton skeleton--line" />
                <div class="skeleton skeleton--line" />
                <div class="skeleton skeleton--line skeleton--short" />
              </div>
            )}
          </For>
        </div>
      </div>
    </div>
  );
}
