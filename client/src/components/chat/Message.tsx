// One message of the conversation. A question is plain text (editable, see
// Question.tsx); an answer is rendered Markdown with citation chips, status
// badges (stopped, failed, reconnecting, offline extractive mode) and actions
// (copy, show sources, regenerate, retry).
import { createSignal, Match, Show, Switch } from "solid-js";
import type { ChatMessage } from "~/lib/chatState";
import AnswerBody from "./AnswerBody";
import Question from "./Question";

// A stream ended because the reader lost access: asking again would be refused too.
const ACCESS_ENDED = new Set(["access_revoked", "session_ended"]);

const EXTRACTIVE_NOTICE = "No language model is configured, so this answer quotes the most relevant passages instead of writing one.";

export default function Message(props: {
  message: ChatMessage;
  selected: boolean;
  onSelect: () => void;
  onRetry?: () => void;
  /** Write this answer again (the same question); absent while any answer is being written. */
  onRegenerate?: () => void;
  /** Send an edited question in place of this one; absent while any answer is being written. */
  onEdit?: (question: string) => void;
  onOpenSource?: (n: number) => void;
}) {
  const m = () => props.message;
  const [copied, setCopied] = createSignal(false);
  const streaming = () => m().status === "streaming";
  const copy = async () => {
    await navigator.clipboard?.writeText(m().content).catch(() => {});
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };

  return (
    <Show when={m().role === "assistant"} fallback={<Question content={m().content} onEdit={props.onEdit} />}>
      <article class="msg msg--answer" classList={{ "msg--selected": props.selected }} aria-label="Answer" aria-busy={streaming()}>
        <div class="msg__avatar" aria-hidden="true">
          ◆
        </div>
        <div class="msg__main">
          <Show when={m().mode === "extractive"}>
            <p class="notice notice--warn" role="note">
              <strong>Quoting, not answering.</strong> {m().notice || EXTRACTIVE_NOTICE}
            </p>
          </Show>
          <Switch>
            <Match when={m().pending && !m().content}>
              <p class="msg__thinking" aria-label="Searching your videos">
                <span class="dots" aria-hidden="true">
                  <i />
                  <i />
                  <i />
                </span>
                Searching your videos…
              </p>
            </Match>
            <Match when={streaming() && !m().content}>
              <p class="msg__thinking">
                <span class="dots" aria-hidden="true">
                  <i />
                  <i />
                  <i />
                </span>
                Writing the answer from {m().sources.length} passages…
              </p>
            </Match>
            <Match when={true}>
              <div classList={{ "msg__body--streaming": streaming() }}>
                <AnswerBody
                  content={m().content}
                  sources={m().sources}
                  streaming={streaming()}
                  onCite={props.onSelect}
                  onOpenSource={props.onOpenSource}
                />
              </div>
            </Match>
          </Switch>
          <Show when={m().reconnecting}>
            <p class="notice" role="status">
              Connection lost — reconnecting. The answer keeps being written meanwhile.
            </p>
          </Show>
          <Show when={m().status === "failed"}>
            <div class="notice notice--danger" role="alert">
              <strong>{m().errorTitle ?? "The answer could not be completed."}</strong> {m().error ?? "Try asking again."}
              <Show when={props.onRetry && !ACCESS_ENDED.has(m().errorCode ?? "")}>
                <button type="button" class="chat-btn chat-btn--small" onClick={() => props.onRetry!()}>
                  Try again
                </button>
              </Show>
            </div>
          </Show>
          <Show when={!streaming()}>
            <div class="msg__footer">
              <Show when={m().status === "stopped"}>
                <span class="badge badge--muted">Stopped</span>
              </Show>
              <button type="button" class="icon-btn" onClick={copy} aria-label="Copy answer as Markdown">
                {copied() ? "Copied" : "Copy"}
              </button>
              <Show when={props.onRegenerate && m().status !== "failed"}>
                <button type="button" class="icon-btn" onClick={() => props.onRegenerate!()}>
                  Regenerate
                </button>
              </Show>
              <Show when={m().sources.length}>
                <button type="button" class="icon-btn" aria-pressed={props.selected} onClick={() => props.onSelect()}>
                  {m().citations.length ? `${m().citations.length} cited` : "Sources"} · {m().sources.length} passages
                </button>
              </Show>
            </div>
          </Show>
        </div>
      </article>
    </Show>
  );
}
