// "Shared in this collection": the conversations members have shared
// read-only, for the chat sidebar. ChatView reads the list again each time a
// conversation is opened, so one its author made private drops out without a reload.
import { createStore } from "solid-js/store";
import { chatApi } from "./chatApi";
import type { LoadState } from "./chatSession";
import type { Conversation } from "./types";

export function createSharedConversations(collectionId: () => string) {
  const [state, setState] = createStore<{ items: Conversation[]; status: LoadState; error: string | null }>({
    items: [],
    status: "idle",
    error: null,
  });
  let seq = 0;

  async function load() {
    const mine = ++seq;
    if (state.status !== "ready") setState("status", "loading");
    try {
      const items = await chatApi.listShared(collectionId());
      if (mine === seq) setState({ items, status: "ready", error: null });
    } catch (e) {
      if (mine === seq)
        setState({ status: "error", error: e instanceof Error && e.message ? e.message : "The shared conversations could not be loaded." });
    }
  }

  return { state, load };
}

export type SharedConversations = ReturnType<typeof createSharedConversations>;
