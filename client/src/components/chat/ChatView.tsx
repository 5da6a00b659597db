// The chat page body: conversations on the left, the conversation in the
// middle (its sources as chips above the composer), and a panel on the right
// with the selected answer's sources, a cited moment, or the Studio (notes made
// from the conversation). Below 1200px the right panel is a drawer; below 860px
// the conversations are one too.
import { Title } from "@solidjs/meta";
import { createEffect, createMemo, createSignal, Match, on, onCleanup, onMount, Show, Switch } from "solid-js";
import { createChatSession } from "~/lib/chatSession";
import { createSharedConversations } from "~/lib/sharedConversations";
import type { Collection, Video } from "~/lib/types";
import { citedInText } from "~/lib/markdown";
import ChatPanel, { type PanelTab } from "./ChatPanel";
import Composer from "./Composer";
import UsageNotice from "~/components/billing/UsageNotice";
import { getBillingIfSignedIn } from "~/lib/billing";
import { liveMessageUsage } from "~/lib/messageUsage";
import { createAsync } from "@solidjs/router";
import ChatHeader from "./ChatHeader";
import ConversationError from "./ConversationError";
import ConversationSidebar from "./ConversationSidebar";
import ConversationSkeleton from "./ConversationSkeleton";
import MessageList from "./MessageList";
import SourcePicker from "./SourcePicker";
import AnswerSettings from "./AnswerSettings";
import SuggestedQuestions from "./SuggestedQuestions";
import "./chat.css";

const WIDE = "(min-width: 1200px)";

export default function ChatView(props: {
  collection: Collection;
  videos: Video[];
  userId: string;
  conversationId: string | null;
  /** The sources a new conversation starts with (`?video=` from "Ask about this video"). */
  initialSources: readonly string[];
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
  // The cited moment shown in the panel instead of the list of sources.
  const [moment, setMoment] = createSignal<{ answerId: string; n: number } | null>(null);

  // The URL's conversation and the sources a new one starts with, read through
  // memos owned by the component, never inside the effect below: a prop such as
  // `x={a() ? [a()] : []}` compiles to a getter that creates a memo on every
  // read, owned by whoever reads it. Owned by the effect, that memo made a
  // navigation (which Solid runs as a transition) re-run the effect before the
  // new URL was committed: it saw `?c=` still absent and cleared the
  // conversation the first question had just created.
  const urlConversation = createMemo(() => props.conversationId);
  const initialSources = createMemo(() => props.initialSources);

  onMount(() => {
    setMounted(true);
    void session.loadConversations();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      if (sidebarOpen()) setSidebarOpen(false);
      else if (moment()) setMoment(null);
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
      () => [mounted(), urlConversation()] as const,
      ([isMounted, id]) => {
        if (!isMounted) return;
        // Read again on each opening: a conversation its author made private leaves the list.
        void shared.load();
        if (id !== state.conversationId || state.conversationStatus === "idle") {
          setMoment(null);
          void session.openConversation(id, id ? [] : initialSources());
        }
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
  const openMoment = (answerId: string, n: number) => {
    session.selectAnswer(answerId);
    setMoment({ answerId, n });
    setTab("sources");
    if (!panelVisible()) setPanel("open");
  };
  // A citation's own moment (the lines its sentences draw on) when it has one, else the source's.
  const momentSource = () => {
    const m = moment();
    const answer = selected();
    if (!m || !answer || m.answerId !== answer.id) return null;
    return answer.citations.find((c) => c.n === m.n) ?? answer.sources.find((s) => s.n === m.n) ?? null;
  };
  const selectAnswer = (id: string) => {
    if (moment()?.answerId !== id) setMoment(null);
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
        <ChatHeader
          collection={props.collection}
          title={current()?.title ?? (state.conversationId ? "Conversation" : "New conversation")}
          conversationId={state.conversationId}
          hasMessages={state.messages.length > 0}
          sidebarOpen={sidebarOpen()}
          onOpenSidebar={() => setSidebarOpen(true)}
          canShare={Boolean(state.conversationId && current() && !readOnly())}
          shared={current()?.shared ?? false}
          onShare={(on) => session.share(state.conversationId!, on)}
          openTab={panelVisible() ? tab() : null}
          onTogglePanel={togglePanel}
        />

        <Switch>
          <Match when={state.conversationStatus === "error"}>
            <ConversationError
              error={state.conversationError}
              newHref={props.hrefFor(null)}
              onRetry={() => void session.openConversation(props.conversationId)}
            />
          </Match>
          <Match when={!mounted() || (state.conversationStatus === "loading" && !state.messages.length)}>
            <ConversationSkeleton />
          </Match>
          <Match when={true}>
            <MessageList
              messages={state.messages}
              selectedAnswerId={selected()?.id ?? null}
              onSelect={selectAnswer}
              onOpenSource={openMoment}
              onRetry={readOnly() ? undefined : (id, question) => void session.resend(id, question)}
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
          <SourcePicker
            videos={props.videos}
            chosen={state.sourceVideoIds}
            disabled={!mounted() || state.conversationStatus !== "ready"}
            onChange={(ids) => void session.setSources(ids)}
          />
          <AnswerSettings
            settings={state.settings}
            disabled={!mounted() || state.conversationStatus !== "ready"}
            onChange={(patch) => void session.setSettings(patch)}
          />
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

      <ChatPanel
        tab={tab()}
        onTab={setTab}
        onClose={() => setPanel("closed")}
        selected={selected()}
        cited={cited()}
        moment={momentSource()}
        onOpenMoment={(n) => selected() && openMoment(selected()!.id, n)}
        onCloseMoment={() => setMoment(null)}
        videos={props.videos}
        conversationId={state.conversationId}
        readOnly={readOnly()}
        hasAnswers={state.messages.some((m) => m.role === "assistant" && m.status !== "streaming")}
      />
    </div>
  );
}
