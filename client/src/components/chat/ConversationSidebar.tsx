// This collection's conversations: start a new one, search them all, rename
// inline, delete after confirming. On narrow screens ChatView shows it as a drawer.
import DOMPurify from "dompurify";
import { createSignal, For, Match, onCleanup, Show, Switch } from "solid-js";
import ConfirmDialog from "~/components/ConfirmDialog";
import type { Conversation } from "~/lib/types";
import { formatRelative } from "~/lib/chatFormat";
import type { ChatSession } from "~/lib/chatSession";
import type { SharedConversations } from "~/lib/sharedConversations";
import SharedConversationList from "./SharedConversationList";

// The api escapes snippets and adds only <mark>; keep it that way on our side too.
// Snippets come from Markdown answers: drop its emphasis marks and citation markers.
const markOnly = (html: string) =>
  typeof window === "undefined"
    ? ""
    : DOMPurify.sanitize(html.replace(/\*\*|__|`+|\[\d{1,3}(?:,\s*\d{1,3})*\]/g, ""), { ALLOWED_TAGS: ["mark"], ALLOWED_ATTR: [] });

export default function ConversationSidebar(props: {
  session: ChatSession;
  shared: SharedConversations;
  userId: string;
  hrefFor: (id: string | null) => string;
  onNavigate: () => void;
}) {
  const state = props.session.state;
  const [editing, setEditing] = createSignal<string | null>(null);
  const [confirming, setConfirming] = createSignal<Conversation | null>(null);
  const [deleting, setDeleting] = createSignal(false);
  const [deleteError, setDeleteError] = createSignal<string | null>(null);
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(searchTimer));

  const saveRename = (id: string, value: string) => {
    setEditing(null);
    const current = state.conversations.find((c) => c.id === id)?.title;
    if (value.trim() && value.trim() !== current) void props.session.rename(id, value);
  };

  const confirmDelete = async () => {
    const c = confirming();
    if (!c) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await props.session.remove(c.id);
      setConfirming(null);
    } catch (e) {
      setDeleteError(e instanceof Error ? e.message : "The conversation could not be deleted. Try again.");
    } finally {
      setDeleting(false);
    }
  };

  const row = (c: Conversation) => (
    <li class="conv" classList={{ "conv--active": c.id === state.conversationId }}>
      <Show
        when={editing() === c.id}
        fallback={
          <>
            <a
              class="conv__link"
              href={props.hrefFor(c.id)}
              aria-current={c.id === state.conversationId ? "page" : undefined}
              onClick={() => props.onNavigate()}
            >
              <span class="conv__title">{c.title}</span>
              <span class="conv__meta">
                <Show when={c.shared}>
                  <span class="conv__badge">Shared</span>{" "}
                </Show>
                {formatRelative(c.updatedAt)}
                <Show when={c.messageCount}>
                  {" "}
                  · {Math.ceil(c.messageCount / 2)} {c.messageCount > 2 ? "questions" : "question"}
                </Show>
              </span>
            </a>
            <div class="conv__actions">
              <button
                type="button"
                class="icon-btn icon-btn--tiny"
                aria-label={`Rename “${c.title}”`}
                title="Rename"
                onClick={() => setEditing(c.id)}
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
              <button
                type="button"
                class="icon-btn icon-btn--tiny icon-btn--danger"
                aria-label={`Delete “${c.title}”`}
                title="Delete"
                onClick={() => setConfirming(c)}
              >
                <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
                  <path
                    d="M5 7h14M10 7V4h4v3M7 7l1 13h8l1-13"
                    fill="none"
                    stroke="currentColor"
                    stroke-width="1.8"
                    stroke-linejoin="round"
                  />
                </svg>
              </button>
            </div>
          </>
        }
      >
        <input
          class="conv__rename"
          aria-label="Conversation title"
          value={c.title}
          maxLength={300}
          ref={(el) => queueMicrotask(() => (el.focus(), el.select()))}
          onKeyDown={(e) => {
            if (e.key === "Enter") saveRename(c.id, e.currentTarget.value);
            if (e.key === "Escape") setEditing(null);
          }}
          onBlur={(e) => editing() === c.id && saveRename(c.id, e.currentTarget.value)}
        />
      </Show>
    </li>
  );

  return (
    <nav class="conv-sidebar" aria-label="Conversations">
      <div class="conv-sidebar__top">
        <a class="chat-btn chat-btn--primary conv-sidebar__new" href={props.hrefFor(null)} onClick={() => props.onNavigate()}>
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
            <path d="M12 5v14M5 12h14" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />
          </svg>
          New conversation
        </a>
        <div class="conv-search">
          <label class="visually-hidden" for="conv-search">
            Search conversations
          </label>
          <input
            id="conv-search"
            type="search"
            class="conv-search__input"
            placeholder="Search conversations"
            autocomplete="off"
            value={state.searchQuery}
            onInput={(e) => {
              const q = e.currentTarget.value;
              clearTimeout(searchTimer);
              searchTimer = setTimeout(() => void props.session.search(q), 250);
            }}
            onKeyDown={(e) => e.key === "Escape" && ((e.currentTarget.value = ""), void props.session.search(""))}
          />
        </div>
      </div>
      <div class="conv-sidebar__scroll">
        <Switch>
          <Match when={state.searchHits !== null || state.searchStatus === "loading"}>
            <h2 class="panel-subtitle" aria-live="polite">
              {state.searchStatus === "loading"
                ? "Searching…"
                : state.searchStatus === "error"
                  ? "Search failed — try again"
                  : `${state.searchHits?.length ?? 0} ${state.searchHits?.length === 1 ? "match" : "matches"}`}
            </h2>
            <ul class="conv-list">
              <For each={state.searchHits ?? []}>
                {(h) => (
                  <li class="conv" classList={{ "conv--active": h.conversation.id === state.conversationId }}>
                    <a class="conv__link" href={props.hrefFor(h.conversation.id)} onClick={() => props.onNavigate()}>
                      <span class="conv__title">{h.conversation.title}</span>
                      <span class="conv__snippet" innerHTML={markOnly(h.snippetHtml)} />
                    </a>
                  </li>
                )}
              </For>
            </ul>
          </Match>
          <Match when={state.listStatus === "error" && !state.conversations.length}>
            <div class="panel-empty" role="alert">
              <p>{state.listError}</p>
              <button type="button" class="chat-btn chat-btn--small" onClick={() => void props.session.loadConversations()}>
                Try again
              </button>
            </div>
          </Match>
          <Match when={state.listStatus === "loading" && !state.conversations.length}>
            <ul class="conv-list" aria-hidden="true">
              <For each={[1, 2, 3, 4]}>{() => <li class="conv conv--skeleton" />}</For>
            </ul>
          </Match>
          <Match when={state.listStatus === "ready" && !state.conversations.length}>
            <p class="panel-empty">No conversations yet. Your questions and their answers are kept here.</p>
          </Match>
          <Match when={true}>
            <ul class="conv-list">
              <For each={state.conversations}>{row}</For>
            </ul>
            <Show when={state.nextCursor}>
              <button
                type="button"
                class="chat-btn chat-btn--ghost chat-btn--small conv-more"
                disabled={state.listStatus === "loading"}
                onClick={() => void props.session.loadConversations(true)}
              >
                {state.listStatus === "loading" ? "Loading…" : "Show older"}
              </button>
            </Show>
          </Match>
        </Switch>
        <Show when={state.searchHits === null && state.searchStatus !== "loading"}>
          <SharedConversationList
            shared={props.shared}
            userId={props.userId}
            activeId={state.conversationId}
            hrefFor={props.hrefFor}
            onNavigate={props.onNavigate}
          />
        </Show>
      </div>
      <ConfirmDialog
        open={confirming() !== null}
        title="Delete this conversation?"
        confirmLabel="Delete"
        busy={deleting()}
        onConfirm={() => void confirmDelete()}
        onCancel={() => (setConfirming(null), setDeleteError(null))}
      >
        <p>“{confirming()?.title}” and all its answers will be deleted. This cannot be undone.</p>
        <Show when={deleteError()}>
          <p class="form-error" role="alert">
            {deleteError()}
          </p>
        </Show>
      </ConfirmDialog>
    </nav>
  );
}
