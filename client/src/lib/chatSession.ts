// The chat page's state: the collection, its conversations, the open
// conversation's messages and the answers being streamed into it. Components
// read `state` and call the actions; nothing here renders.
// Why a store and not query/action like the other pages: an answer arrives as
// a stream of events that patch one message many times a second, survives
// reconnects and may be stopped mid-way; query/action model one request and
// one result, and re-running a query would refetch the whole conversation on
// every token. So chat keeps its own store, fed by browserApi calls.
import { batch, onCleanup } from "solid-js";
import { createStore, produce, reconcile } from "solid-js/store";
import { ApiError } from "./browserApi";
import { chatApi } from "./chatApi";
import { messageOf } from "./problem";
import type { AnswerSettings, Conversation, ConversationSearchHit, Message } from "./types";
import { TERMINAL, runAnswerStream, type AnswerState, type StreamRun } from "./chatStream";

/** A message as shown: the api's fields plus what only the live stream knows. */
export type ChatMessage = Message & {
  notice?: string | null;
  reconnecting?: boolean;
  errorTitle?: string;
  /** Why the stream ended, when it failed (`access_revoked`, `session_ended`, …). */
  errorCode?: string;
  pending?: boolean;
};

export type LoadState = "idle" | "loading" | "ready" | "error";

export type ChatState = {
  conversations: Conversation[];
  nextCursor: string | null;
  listStatus: LoadState;
  listError: string | null;
  searchQuery: string;
  searchHits: ConversationSearchHit[] | null;
  searchStatus: LoadState;
  conversationId: string | null;
  /** The open conversation as the api last gave it: its author, title, whether it is shared. */
  opened: Conversation | null;
  messages: ChatMessage[];
  conversationStatus: LoadState;
  conversationError: string | null;
  /** The answer whose sources the panel shows. */
  selectedAnswerId: string | null;
  /** A question could not be sent; shown above the composer. */
  sendError: string | null;
  /** The videos answers draw on; empty: the whole collection. A new conversation keeps them until it is created. */
  sourceVideoIds: string[];
  /** How answers are made (AnswerSettings.tsx); a new conversation keeps them until it is created. */
  settings: AnswerSettings;
};

/** The server's defaults: null everywhere. */
const DEFAULT_SETTINGS: AnswerSettings = { useRag: true, maxContextChunks: null, minSimilarity: null, temperature: null, model: null };

let tempIds = 0;

export function createChatSession(collectionId: () => string, navigateTo: (conversationId: string | null) => void) {
  const [state, setState] = createStore<ChatState>({
    conversations: [],
    nextCursor: null,
    listStatus: "idle",
    listError: null,
    searchQuery: "",
    searchHits: null,
    searchStatus: "idle",
    conversationId: null,
    opened: null,
    messages: [],
    conversationStatus: "idle",
    conversationError: null,
    selectedAnswerId: null,
    sendError: null,
    sourceVideoIds: [],
    settings: DEFAULT_SETTINGS,
  });
  const runs = new Map<string, StreamRun>();
  const stopWanted = new Set<string>();
  let openToken = 0;

  const cancelRuns = () => {
    for (const r of runs.values()) r.cancel();
    runs.clear();
  };
  onCleanup(cancelRuns);

  const patchMessage = (id: string, fn: (m: ChatMessage) => void) =>
    setState(
      "messages",
      (m) => m.id === id,
      produce((m) => fn(m as ChatMessage)),
    );

  async function loadConversations(more = false) {
    setState({ listStatus: "loading", listError: null });
    try {
      const page = await chatApi.listConversations(collectionId(), more ? state.nextCursor : null);
      setState({
        conversations: more ? [...state.conversations, ...page.items] : page.items,
        nextCursor: page.nextCursor,
        listStatus: "ready",
      });
    } catch (e) {
      setState({ listStatus: "error", listError: messageOf(e) });
    }
  }

  let searchSeq = 0;
  async function search(q: string) {
    setState("searchQuery", q);
    const mine = ++searchSeq;
    if (!q.trim()) return setState({ searchHits: null, searchStatus: "idle" });
    setState("searchStatus", "loading");
    try {
      // Search spans every collection; this page lists this collection's only.
      const hits = (await chatApi.search(q.trim())).filter((h) => h.conversation.collectionId === collectionId());
      if (mine === searchSeq) setState({ searchHits: hits, searchStatus: "ready" });
    } catch {
      if (mine === searchSeq) setState({ searchHits: [], searchStatus: "error" });
    }
  }

  /** Shows an answer from `update`, folding the stream's state into the message. */
  function follow(conversationId: string, messageId: string, run: (onUpdate: (s: AnswerState) => void) => StreamRun, rebuild: boolean) {
    let shownId = messageId;
    const handle = run((s) => {
      // A refreshed answer is replayed from the start; keep its saved text until the replay passes it.
      const current = state.messages.find((m) => m.id === shownId);
      if (s.streamId && s.streamId !== shownId) {
        const temp = shownId;
        shownId = s.streamId;
        runs.delete(temp);
        runs.set(shownId, handle);
        patchMessage(temp, (m) => (m.id = s.streamId!));
        if (state.selectedAnswerId === temp || state.selectedAnswerId === null) setState("selectedAnswerId", s.streamId);
        if (stopWanted.delete(temp)) void stop(s.streamId);
      }
      patchMessage(shownId, (m) => {
        if (!rebuild || TERMINAL.has(s.status) || s.content.length >= (current?.content.length ?? 0)) m.content = s.content;
        if (s.sources.length) m.sources = s.sources;
        if (s.mode) m.mode = s.mode;
        if (s.model) m.model = s.model;
        if (s.notice !== null) m.notice = s.notice;
        m.reconnecting = s.status === "reconnecting";
        m.pending = s.status === "connecting";
        if (TERMINAL.has(s.status)) {
          m.status = s.status as Message["status"];
          m.error = s.error?.detail ?? null;
          m.errorTitle = s.error?.title;
          m.errorCode = s.error?.code;
          if (s.citedNumbers.length)
            m.citations = m.sources.filter((src) => s.citedNumbers.includes(src.n)).map((src) => ({ ...src, ...s.citationMoments[src.n] }));
        }
      });
    });
    runs.set(messageId, handle);
    return handle.done.then((s) => {
      runs.delete(shownId);
      if (TERMINAL.has(s.status) && state.conversationId === conversationId) void loadConversations();
      return s;
    });
  }

  /** `sources`: what a new conversation (id null) starts with, e.g. the one video of "Ask about this video". */
  async function openConversation(id: string | null, sources: readonly string[] = []) {
    const mine = ++openToken;
    cancelRuns();
    setState({ conversationId: id, conversationError: null, selectedAnswerId: null, sendError: null });
    if (state.opened?.id !== id) setState("opened", null);
    if (!id) return setState({ messages: [], conversationStatus: "ready", sourceVideoIds: [...sources], settings: DEFAULT_SETTINGS });
    // Keep the messages we already show for this conversation (e.g. just created).
    setState("conversationStatus", "loading");
    try {
      const c = await chatApi.get(id);
      if (mine !== openToken) return;
      if (c.collectionId !== collectionId()) throw new ApiError("That conversation belongs to another collection.", 404, "not_found");
      const { messages, ...opened } = c;
      batch(() => {
        setState("opened", opened);
        setState("messages", reconcile(messages as ChatMessage[], { key: "id" }));
        setState({
          conversationStatus: "ready",
          sourceVideoIds: c.sourceVideoIds,
          settings: c.settings,
          selectedAnswerId: c.messages.filter((m) => m.role === "assistant").at(-1)?.id ?? null,
        });
      });
      for (const m of c.messages)
        if (m.role === "assistant" && m.status === "streaming")
          follow(
            id,
            m.id,
            (onUpdate) =>
              runAnswerStream({
                initial: { streamId: m.id },
                open: (signal) => chatApi.resume(id, m.id, 0, signal),
                resume: (sid, seq, signal) => chatApi.resume(id, sid, seq, signal),
                onUpdate,
              }),
            true,
          );
    } catch (e) {
      if (mine !== openToken) return;
      setState({ conversationStatus: "error", conversationError: messageOf(e), messages: [] });
    }
  }

  /**
   * Regenerate (the same question) or edit-and-resend: the question before
   * `answerId`, the answer and every later message are replaced by the new
   * exchange (the server does the same; README "Chat").
   */
  async function resend(answerId: string, question?: string): Promise<boolean> {
    const text = (question ?? questionBefore(answerId) ?? "").trim();
    let from = state.messages.findIndex((m) => m.id === answerId && m.role === "assistant");
    // An answer the server never stored (refused before it started) has nothing to replace.
    if (from < 0 || answerId.startsWith("local-")) return ask(text);
    while (from > 0 && state.messages[from]!.role !== "user") from--;
    return ask(text, { answerId, from });
  }

  async function ask(question: string, replace?: { answerId: string; from: number }): Promise<boolean> {
    const text = question.trim();
    if (!text || isStreaming()) return false;
    setState("sendError", null);
    let id = state.conversationId;
    if (!id) {
      try {
        const created = await chatApi.create(collectionId(), { videoIds: [...state.sourceVideoIds], settings: { ...state.settings } });
        id = created.id;
        ++openToken;
        setState({
          conversationId: id,
          opened: created,
          conversations: [created, ...state.conversations],
          messages: [],
          conversationStatus: "ready",
        });
        navigateTo(id);
      } catch (e) {
        setState("sendError", messageOf(e));
        return false;
      }
    }
    const conversationId = id;
    const now = new Date().toISOString();
    const userId = `local-user-${++tempIds}`;
    const answerId = `local-answer-${tempIds}`;
    const blank = {
      citations: [],
      sources: [],
      model: null,
      mode: "llm" as const,
      error: null,
      usage: { inputTokens: null, outputTokens: null },
      timings: { ttftMs: null, totalMs: null },
      searchQuery: null,
      createdAt: now,
    };
    setState(
      produce((s) => {
        if (replace) s.messages.splice(replace.from);
        s.messages.push({ ...blank, id: userId, role: "user", content: text, status: "complete" });
        s.messages.push({ ...blank, id: answerId, role: "assistant", content: "", status: "streaming", pending: true });
        s.selectedAnswerId = answerId;
      }),
    );
    const done = follow(
      conversationId,
      answerId,
      (onUpdate) =>
        runAnswerStream({
          open: (signal) => chatApi.ask(conversationId, text, signal, replace?.answerId),
          resume: (sid, seq, signal) => chatApi.resume(conversationId, sid, seq, signal),
          onUpdate,
        }),
      false,
    );
    // Refused before it started (quota, an answer still running elsewhere): the
    // server replaced nothing, so show its messages again, and why.
    if (replace)
      void done.then(async (s) => {
        if (s.streamId || state.conversationId !== conversationId) return;
        await openConversation(conversationId);
        setState("sendError", s.error?.detail ?? "The question could not be sent.");
      });
    return true;
  }

  async function stop(messageId?: string) {
    const id = messageId ?? state.messages.find((m) => m.role === "assistant" && m.status === "streaming")?.id;
    if (!id || !state.conversationId) return;
    if (id.startsWith("local-")) return void stopWanted.add(id);
    try {
      await chatApi.stop(state.conversationId, id);
    } catch (e) {
      setState("sendError", `The answer could not be stopped: ${messageOf(e)}`);
    }
  }

  async function rename(id: string, title: string) {
    const t = title.trim().slice(0, 300);
    if (!t) return;
    const before = state.conversations.find((c) => c.id === id)?.title;
    setState("conversations", (c) => c.id === id, "title", t);
    try {
      await chatApi.rename(id, t);
    } catch (e) {
      if (before) setState("conversations", (c) => c.id === id, "title", before);
      setState("listError", messageOf(e));
    }
  }

  /** Shares one of the caller's conversations read-only with the collection, or makes it private again. */
  async function share(id: string, shared: boolean) {
    const updated = await chatApi.setShared(id, shared);
    setState("conversations", (c) => c.id === id, "shared", updated.shared);
    if (state.opened?.id === id) setState("opened", "shared", updated.shared);
  }

  /** Chooses the videos answers draw on: saved at once for an existing conversation, at creation for a new one. */
  async function setSources(videoIds: string[]) {
    const before = state.sourceVideoIds;
    setState("sourceVideoIds", videoIds);
    const id = state.conversationId;
    if (!id) return;
    try {
      await chatApi.setSources(id, videoIds);
    } catch (e) {
      if (state.conversationId === id) setState({ sourceVideoIds: before, sendError: `The sources could not be changed: ${messageOf(e)}` });
    }
  }

  async function remove(id: string) {
    await chatApi.remove(id);
    setState("conversations", (list) => list.filter((c) => c.id !== id));
    if (state.searchHits) setState("searchHits", (hits) => hits?.filter((h) => h.conversation.id !== id) ?? null);
    if (state.conversationId === id) navigateTo(null);
  }

  function isStreaming(): boolean {
    return state.messages.some((m) => m.role === "assistant" && m.status === "streaming");
  }

  /** The question before a failed answer, to ask again. */
  function questionBefore(answerId: string): string | null {
    const i = state.messages.findIndex((m) => m.id === answerId);
    for (let j = i - 1; j >= 0; j--) if (state.messages[j]!.role === "user") return state.messages[j]!.content;
    return null;
  }

  async function setSettings(patch: Partial<AnswerSettings>) {
    const before = state.settings;
    setState("settings", { ...before, ...patch });
    const id = state.conversationId;
    if (!id) return;
    try {
      await chatApi.setSettings(id, patch);
    } catch (e) {
      if (state.conversationId === id)
        setState({ settings: before, sendError: `The answer settings could not be changed: ${messageOf(e)}` });
    }
  }

  return {
    state,
    selectAnswer: (id: string | null) => setState("selectedAnswerId", id),
    clearSendError: () => setState("sendError", null),
    loadConversations,
    search,
    openConversation,
    ask,
    stop,
    rename,
    share,
    setSources,
    setSettings,
    remove,
    isStreaming,
    resend,
  };
}

export type ChatSession = ReturnType<typeof createChatSession>;
