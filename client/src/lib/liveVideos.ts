// The videos of a collection kept live in the browser: starts from the
// server-rendered list, then follows /api/collections/:id/events (SSE:
// `snapshot`, `video`, `deleted`, `revoked`). EventSource reconnects after
// drops by itself. When the server ends the stream with `revoked`, or refuses
// a reconnect, the page asks for the collection: a 404 (removed, left,
// deleted) stops for good and says so; an expired session is refreshed (or
// the person sent to sign in) by apiFetch; anything else reconnects.
import { createEffect, createSignal, onCleanup, onMount } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { ApiError, apiFetch } from "./browserApi";
import type { Video } from "./types";

/** Whether the collection still answers: "lost" on 404, "retry" on any other failure. */
export async function collectionAccess(collectionId: string): Promise<"ok" | "lost" | "retry"> {
  try {
    await apiFetch(`/api/collections/${collectionId}`);
    return "ok";
  } catch (error) {
    // apiFetch throws for every non-2xx answer: the 404 arrives as an ApiError.
    return error instanceof ApiError && error.status === 404 ? "lost" : "retry";
  }
}

export function createLiveVideos(collectionId: string, initial: () => Video[] | undefined) {
  const [videos, setVideos] = createStore<Video[]>(initial() ?? []);
  // After an action revalidates the server list, take it (SSE keeps it current anyway).
  createEffect(() => {
    const list = initial();
    if (list) setVideos(reconcile(list, { key: "id", merge: true }));
  });

  const upsert = (video: Video) => {
    const i = videos.findIndex((v) => v.id === video.id);
    if (i >= 0) setVideos(i, reconcile(video));
    else setVideos((list) => [video, ...list]);
  };
  const remove = (id: string) => setVideos((list) => list.filter((v) => v.id !== id));
  const [lost, setLost] = createSignal(false);

  onMount(() => {
    let source: EventSource | null = null;
    let stopped = false;
    let retryMs = 1000;
    let timer: ReturnType<typeof setTimeout> | undefined;

    // The stream is closed (revoked or refused): is the collection still ours?
    const check = (delayMs: number) => {
      source?.close();
      clearTimeout(timer);
      timer = setTimeout(async () => {
        if (stopped) return;
        const access = await collectionAccess(collectionId);
        if (stopped) return;
        if (access === "lost") {
          stopped = true;
          setLost(true);
          return;
        }
        connect();
      }, delayMs);
    };

    const connect = () => {
      if (stopped) return;
      source = new EventSource(`/api/collections/${collectionId}/events`);
      source.addEventListener("snapshot", (e) => {
        retryMs = 1000;
        setVideos(reconcile(JSON.parse((e as MessageEvent).data) as Video[], { key: "id", merge: true }));
      });
      source.addEventListener("video", (e) => upsert(JSON.parse((e as MessageEvent).data) as Video));
      source.addEventListener("deleted", (e) => remove((JSON.parse((e as MessageEvent).data) as { id: string }).id));
      // The server ends the stream right after this; without close() EventSource would reconnect.
      source.addEventListener("revoked", () => check(0));
      source.onerror = () => {
        // The browser retries a dropped stream itself; a refused one (401, 404) is CLOSED.
        if (source?.readyState !== EventSource.CLOSED) return;
        const wait = retryMs;
        retryMs = Math.min(retryMs * 2, 30_000);
        check(wait);
      };
    };
    connect();
    onCleanup(() => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    });
  });

  /** `lost`: the collection is gone or no longer shared with you. */
  return { videos, upsert, remove, lost };
}
