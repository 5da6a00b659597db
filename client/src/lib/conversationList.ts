// The chat sidebar's side of the session (chatSession.ts): the collection's
// conversations page by page, searching them, and renaming, sharing and
// deleting one. It works on the session's store, so the open conversation and
// the list stay one state.
import type { SetStoreFunction } from "solid-js/store";
import { chatApi } from "./chatApi";
import type { ChatState } from "./chatState";
import { messageOf } from "./problem";

export function createConversationList(
  state: ChatState,
  setState: SetStoreFunction<ChatState>,
  collectionId: () => string,
  navigateTo: (conversationId: string | null) => void,
) {
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

  async function remove(id: string) {
    await chatApi.remove(id);
    setState("conversations", (list) => list.filter((c) => c.id !== id));
    if (state.searchHits) setState("searchHits", (hits) => hits?.filter((h) => h.conversation.id !== id) ?? null);
    if (state.conversationId === id) navigateTo(null);
  }

  return { loadConversations, search, rename, share, remove };
}
