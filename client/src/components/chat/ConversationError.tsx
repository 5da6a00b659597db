// A conversation that could not be opened: why, and the two ways on (try
// again, or start a new one).
export default function ConversationError(props: { error: string | null; newHref: string; onRetry: () => void }) {
  return (
    <div class="chat-state" role="alert">
      <h2>This conversation could not be opened</h2>
      <p>{props.error}</p>
      <p class="row-actions">
        <button type="button" class="chat-btn chat-btn--primary" onClick={() => props.onRetry()}>
          Try again
        </button>
        <a class="chat-btn chat-btn--ghost" href={props.newHref}>
          Start a new conversation
        </a>
      </p>
    </div>
  );
}
