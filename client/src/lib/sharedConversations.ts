// "Shared in this collection": the conversations members have shared
// read-only, for the chat sidebar. The list is read again each time a
// conversation is opened and whenever the person comes back to the tab or
// window (focus, or the page becoming visible): a colleague who says "I shared
// it" is seen on switching back, and one made private drops out, without a
// reload. Not pushed live: a list people glance at does not need a stream open
// on every chat page.
import { onCleanup } from "solid-js";
import { createStore } from "solid-js/store";
import { chatApi } from "./chatApi";
import type { LoadState } from "./chatState";
import type { Conversation } from "./types";

export function createSharedConversations(collectionId: () => string) {
  const [state, setState] = createStore<{ items: Conversation[]; status: LoadState; error: string | null }>({
    items: [],
    status: "idle",
    error: null,
  });
  let seq = 0;

  /** Reads the list; resolves true when this read is the latest and succeeded. */
  async function load(): Promise<boolean> {
    const mine = ++seq;
    if (state.status !== "ready") setState("status", "loading");
    try {
      const items = await chatApi.listShared(collectionId());
      if (mine !== seq) return false;
      setState({ items, status: "ready", error: null });
      return true;
    } catch (e) {
      if (mine === seq)
        setState({ status: "error", error: e instanceof Error && e.message ? e.message : "The shared conversations could not be loaded." });
      return false;
    }
  }

  /** Calls `onReturn` when the person comes back to the page; call from a component (browser only). */
  function whenReturning(onReturn: () => void) {
    const onVisible = () => document.visibilityState === "visible" && onReturn();
    window.addEventListener("focus", onReturn);
    document.addEventListener("visibilitychange", onVisible);
    onCleanup(() => {
      window.removeEventListener("focus", onReturn);
      document.removeEventListener("visibilitychange", onVisible);
    });
  }

  return { state, load, whenReturning };
}

export type SharedConversations = ReturnType<typeof createSharedConversations>;
