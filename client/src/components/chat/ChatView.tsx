// The chat page body: conversations on the left, the conversation in the
// middle, and a panel on the right with the selected answer's sources or the
// Studio (notes made from the conversation). Below 1200px the right panel is a
// drawer; below 860px the conversations are one too.
import { Title } from "@solidjs/meta";
import { createEffect, createMemo, createSignal, For, Match, on, onCleanup, onMount, Show, Switch } from "solid-js";
import { createChatSession } from "~/lib/chatSession";
import { createSharedConversations } from "~/lib/sharedConversations";
import type { Collection, Video } from "~/lib/types";
import { citedInText } from "~/lib/markdown";
import ArtifactPanel from "./ArtifactPanel";
import Composer from "./Composer";
import UsageNotice from "~/components/billing/UsageNotice";
import { getBillingIfSignedIn } from "~/lib/billing";
import { liveMessageUsage } from "~/lib/messageUsage";
import { createAsync } from "@solidjs/router";
import ConversationSidebar from "./ConversationSidebar";
import ExportMenu from "./ExportMenu";
import ShareToggle from "./ShareToggle";
import MessageList from "./MessageList";
import SourcesPanel from "./SourcesPanel";
import SuggestedQuestions from "./SuggestedQuestions";
import "./chat.css";

type PanelTab = "sources" | "studio";
const WIDE = "(min-width: 1200px)";

export default function ChatView(props: {
  collection: Collection;
  videos: Video[];
  userId: string;
  conversationId: string | null;
  hrefFor: (conversationId: string | null) => string;
  navigate: (conversationId: string | null) => void;
}) {
  const session = createChatSession(
    () => props.collection.id,
    (id) => props.navigate(id),
  );
  const state = session.state;
  const shared = createSharedConversations(() => props.collection.id);
  // The asker's message allowance: from the page load, then from each answer's usage headers.
  const billing = createAsync(() => getBillingIfSignedIn());
  const messageUsage = () => liveMessageUsage() ?? billing()?.usage.find((u) => u.dimension === "messages") ?? null;
  const [mounted, setMounted] = createSignal(false);
  const [sidebarOpen, setSidebarOpen] = createSignal(false);
  // "auto": beside the chat when wide, hidden when narrow; a toggle makes it explicit.
  const [panel, setPanel] = createSignal<"auto" | "open" | "closed">("auto");
  const [tab, setTab] = createSignal<PanelTab>("sources");

  onMount(() => {
    setMounted(true);
    void session.loadConversations();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      if (sidebarOpen()) setSidebarOpen(false);
      else if (panel() === "open" && !matchMedia(WIDE).matches) setPanel("closed");
    };
    document.addEventListener("keydown", onKey);
    onCleanup(() => document.removeEventListener("keydown", onKey));
    // Back on the page: the shared list again; someone else's conversation shown
    // here that is no longer shared is opened again, which then says it cannot be.
    shared.whenReturning(async () => {
      const id = state.conversationId;
      if (!(await shared.load()) || !id || !readOnly() || id !== state.conversationId) return;
      if (!shared.state.items.some((c) => c.id === id)) void session.openConversation(id);
    });
  });

  createEffect(
    on(
      () => [mounted(), props.conversationId] as const,
      ([isMounted, id]) => {
        if (!isMounted) return;
        // Read again on each opening: a conversation its author made private leaves the list.
        void shared.load();
        if (id !== state.conversationId || state.conversationStatus === "idle") void session.openConversation(id);
      },
    ),
  );

  const panelVisible = () => panel() === "open" || (panel() === "auto" && mounted() && matchMedia(WIDE).matches);
  const togglePanel = (which: PanelTab) => {
    if (panelVisible() && tab() === which) setPanel("closed");
    else {
      setTab(which);
      setPanel("open");
    }
  };

  const current = () =>
    state.conversations.find((c) => c.id === state.conversationId) ??
    (state.opened?.id === state.conversationId ? state.opened : undefined);
  // Another member's conversation, shared with the collection: read and export only.
  const readOnly = () => Boolean(current() && current()!.author.id !== props.userId);
  const selected = createMemo(
    () =>
      state.messages.find((m) => m.id === state.selectedAnswerId && m.role === "assistant") ??
      state.messages.filter((m) => m.role === "assistant").at(-1),
  );
  const cited = createMemo(() => {
    const m = selected();
    if (!m) return [];
    if (m.status !== "streaming" && m.citations.length) return m.citations.map((c) => c.n);
    return citedInText(m.content, new Set(m.sources.map((s) => s.n)));
  });
  const readyTitles = () => props.videos.filter((v) => v.status === "ready").map((v) => v.title);
  const readyCount = () => Math.max(props.collection.readyCount, readyTitles().length);

  const ask = (q: string) => session.ask(q);
  const selectAnswer = (id: string) => {
    session.selectAnswer(id);
    if (!matchMedia(WIDE).matches || !panelVisible()) {
      setTab("sources");
      setPanel("open");
    } else setTab("sources");
  };

  return (
    <div class="chat-view" data-sidebar={sidebarOpen() ? "open" : "closed"} data-panel={panel()}>
      <Title>
        {current()?.title ? `${current()!.title} — ` : ""}
        {props.collection.name} — KnowledgeTree
      </Title>
      <aside id="chat-sidebar" class="chat-view__sidebar" aria-label="Conversations">
        <ConversationSidebar
          session={session}
          shared={shared}
          userId={props.userId}
          hrefFor={props.hrefFor}
          onNavigate={() => setSidebarOpen(false)}
        />
      </aside>
      <div
        class="chat-view__backdrop"
        onClick={() => (setSidebarOpen(false), !matchMedia(WIDE).matches && setPanel("closed"))}
        aria-hidden="true"
      />

      <section class="chat-main" aria-labelledby="chat-title">
        <header class="chat-head">
          <button
            type="button"
            class="icon-btn chat-head__menu"
            aria-controls="chat-sidebar"
            aria-expanded={sidebarOpen()}
            aria-label="Show conversations"
            onClick={() => setSidebarOpen(true)}
          >
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
              <path d="M4 6h16M4 12h16M4 18h16" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
            </svg>
          </button>
          <div class="chat-head__titles">
            <a class="chat-head__crumb" href={`/collections/${props.collection.id}`}>
              {props.collection.name}
            </a>
            <h1 id="chat-title" class="chat-head__title">
              {current()?.title ?? (state.conversationId ? "Conversation" : "New conversation")}
            </h1>
          </div>
          <div class="chat-head__actions">
            <Show when={state.conversationId && state.messages.length}>
              <ExportMenu conversationId={state.conversationId!} />
            </Show>
            <Show when={state.conversationId && current() && !readOnly()}>
              <ShareToggle
                shared={current()!.shared}
                collectionName={props.collection.name}
                onChange={(on) => session.share(state.conversationId!, on)}
              />
            </Show>
            <button
              type="button"
              class="chat-btn chat-btn--ghost"
              aria-controls="chat-panel"
              aria-expanded={panelVisible() && tab() === "sources"}
              aria-label="Sources"
              onClick={() => togglePanel("sources")}
            >
              <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
                <path d="M5 4h10l4 4v12H5zM9 11h6M9 15h6" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" />
              </svg>
              <span class="chat-head__label">Sources</span>
            </button>
            <button
              type="button"
              class="chat-btn chat-btn--ghost"
              aria-controls="chat-panel"
              aria-expanded={panelVisible() && tab() === "studio"}
              aria-label="Studio"
              onClick={() => togglePanel("studio")}
            >
              <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
                <path
                  d="M12 3l2 5 5 2-5 2-2 5-2-5-5-2 5-2zM19 16l.8 2 2 .8-2 .8-.8 2-.8-2-2-.8 2-.8z"
                  fill="none"
                  stroke="currentColor"
                  stroke-width="1.6"
                  stroke-linejoin="round"
                />
              </svg>
              <span class="chat-head__label">Studio</span>
            </button>
          </div>
        </header>

        <Switch>
          <Match when={state.conversationStatus === "error"}>
            <div class="chat-state" role="alert">
              <h2>This conversation could not be opened</h2>
              <p>{state.conversationError}</p>
              <p class="row-actions">
                <button
                  type="button"
                  class="chat-btn chat-btn--primary"
                  onClick={() => void session.openConversation(props.conversationId)}
                >
                  Try again
                </button>
                <a class="chat-btn chat-btn--ghost" href={props.hrefFor(null)}>
                  Start a new conversation
                </a>
              </p>
            </div>
          </Match>
          <Match when={!mounted() || (state.conversationStatus === "loading" && !state.messages.length)}>
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
          </Match>
          <Match when={true}>
            <MessageList
              messages={state.messages}
              selectedAnswerId={selected()?.id ?? null}
              onSelect={selectAnswer}
              onRetry={
                readOnly()
                  ? undefined
                  : (id) => {
                      const q = session.questionBefore(id);
                      if (q) void ask(q);
                    }
              }
              empty={
                <SuggestedQuestions
                  collectionName={props.collection.name}
                  videoTitles={readyTitles()}
                  readyCount={readyCount()}
                  collectionHref={`/collections/${props.collection.id}`}
                  onAsk={(q) => void ask(q)}
                />
              }
            />
          </Match>
        </Switch>

        <Show when={readOnly()}>
          <p class="chat-readonly" role="note" data-testid="read-only-note">
            Shared by {current()!.author.displayName} — read-only
          </p>
        </Show>
        <Show when={!readOnly()}>
          <UsageNotice
            what="chat messages"
            used={messageUsage()?.used ?? 0}
            limit={messageUsage()?.limit ?? null}
            resetsAt={messageUsage()?.resetsAt}
            plan={billing()?.plan.name}
            action="new questions are refused"
          />
          <Composer
            streaming={session.isStreaming()}
            disabled={!mounted() || state.conversationStatus === "error" || (state.conversationStatus === "loading" && !current())}
            disabledReason={!mounted() ? "Loading…" : "Open a conversation to ask"}
            placeholder={readyCount() ? `Ask about ${props.collection.name}…` : "Ask anything — no video is ready yet"}
            error={state.sendError}
            onSend={ask}
            onStop={() => void session.stop()}
            focusKey={mounted() && state.conversationStatus === "ready" ? (state.conversationId ?? "new") : null}
          />
        </Show>
      </section>

      <aside id="chat-panel" class="chat-panel" aria-label={tab() === "sources" ? "Sources" : "Studio"}>
        <div class="chat-panel__tabs" role="tablist" aria-label="Panel">
          <button
            type="button"
            role="tab"
            id="tab-sources"
            class="chat-panel__tab"
            aria-selected={tab() === "sources"}
            aria-controls="panel-sources"
            onClick={() => setTab("sources")}
          >
            Sources
            <Show when={selected()?.sources.length}>
              <span class="count">{selected()!.sources.length}</span>
            </Show>
          </button>
          <button
            type="button"
            role="tab"
            id="tab-studio"
            class="chat-panel__tab"
            aria-selected={tab() === "studio"}
            aria-controls="panel-studio"
            onClick={() => setTab("studio")}
          >
            Studio
          </button>
          <button type="button" class="icon-btn chat-panel__close" aria-label="Close the panel" onClick={() => setPanel("closed")}>
            ✕
          </button>
        </div>
        <div
          class="chat-panel__body"
          role="tabpanel"
          id={tab() === "sources" ? "panel-sources" : "panel-studio"}
          aria-labelledby={tab() === "sources" ? "tab-sources" : "tab-studio"}
        >
          <Show
            when={tab() === "sources"}
            fallback={
              <ArtifactPanel
                conversationId={state.conversationId}
                readOnly={readOnly()}
                hasAnswers={state.messages.some((m) => m.role === "assistant" && m.status !== "streaming")}
              />
            }
          >
            <SourcesPanel sources={selected()?.sources ?? []} cited={cited()} streaming={selected()?.status === "streaming"} />
          </Show>
        </div>
      </aside>
    </div>
  );
}
