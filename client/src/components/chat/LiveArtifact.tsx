// A Studio document while it is being written (or just after it stopped or
// failed): its state, Stop or Close, and the text so far.
import { Show } from "solid-js";
import type { AnswerState } from "~/lib/chatStream";
import AnswerBody from "./AnswerBody";

export default function LiveArtifact(props: {
  live: AnswerState;
  streaming: boolean;
  videoId?: string;
  onStop: () => void;
  onClose: () => void;
}) {
  return (
    <section class="artifact" aria-busy={props.streaming}>
      <div class="artifact__bar">
        <span class="badge">
          {props.streaming
            ? props.live.status === "reconnecting"
              ? "Reconnecting…"
              : "Writing…"
            : props.live.status === "failed"
              ? "Failed"
              : "Stopped"}
        </span>
        <Show
          when={props.streaming}
          fallback={
            <button type="button" class="chat-btn chat-btn--small chat-btn--ghost" onClick={() => props.onClose()}>
              Close
            </button>
          }
        >
          <button type="button" class="chat-btn chat-btn--small" onClick={() => props.onStop()}>
            Stop
          </button>
        </Show>
      </div>
      <Show when={props.live.error}>
        <p class="notice notice--danger" role="alert">
          <strong>{props.live.error!.title}.</strong> {props.live.error!.detail}
        </p>
      </Show>
      <Show
        when={props.live.content}
        fallback={<p class="msg__thinking">{props.videoId ? "Reading the transcript…" : "Reading the conversation…"}</p>}
      >
        <AnswerBody content={props.live.content} sources={props.live.sources} streaming={props.streaming} />
      </Show>
    </section>
  );
}
