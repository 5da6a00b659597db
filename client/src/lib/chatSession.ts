// The chat page's state: the collection, its conversations, the open
// conversation's messages and the answers being streamed into it. Components
// read `state` and call the actions; nothing here renders.
// Why a store and not query/action like the other pages: an answer arrives as
// a stream of events that patch one message many times a second, survives
// reconnects and may be stopped mid-way; query/action model one request and
// one result, and re-running a query would refetch the whole conversation on
// every token. So chat keeps its own store, fed by browserApi calls.
// The store's shape is in chatState.ts, the sidebar's list actions in
// conversationList.ts; this module opens conversations and runs their answers.
import { batch, onCleanup } from "solid-js";
import { createStore, produce, reconcile } from "solid-js/store";
import { applyAnswerState } from "./applyAnswerState";
import { ApiError } from "./browserApi";
import { chatApi } from "./chatApi";
import { DEFAULT_SETTINGS, emptyChatState, type ChatMessage } from "./chatState";
import { TERMINAL, runAnswerStream, type AnswerState, type StreamRun } from "./chatStream";
import { createConversationList } from "./conversationList";
import { messageOf } from "./problem";
import type { AnswerSettings } from "./types";

let tempIds = 0;

export function createChatSession(collectionId: () => string, navigateTo: (conversationId: string | null) => void) {
  const [state, setState] = createStore(emptyChatState());
  const { loadConversations, search, rename, share, remove } = createConversationList(state, setState, collectionId, navigateTo);
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
      const replaying = rebuild && s.content.length < (current?.content.length ?? 0);
      patchMessage(shownId, (m) => applyAnswerState(m, s, replaying));
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
