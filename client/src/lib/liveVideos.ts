// The videos of a collection kept live in the browser: starts from the
// server-rendered list, then follows /api/collections/:id/events (SSE:
// `snapshot`, `video`, `deleted`). Reconnects after drops; an expired session
// is refreshed before reconnecting. A stream refused because the collection is
// no longer yours (removed, left, deleted) stops for good and says so.
import { createEffect, createSignal, onCleanup, onMount } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { apiFetch, goToLogin, refreshSession } from "./browserApi";
import type { Video } from "./types";

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

    const connect = () => {
      if (stopped) return;
      source = new EventSource(`/api/collections/${collectionId}/events`);
      source.addEventListener("snapshot", (e) => {
        retryMs = 1000;
        setVideos(reconcile(JSON.parse((e as MessageEvent).data) as Video[], { key: "id", merge: true }));
      });
      source.addEventListener("video", (e) => upsert(JSON.parse((e as MessageEvent).data) as Video));
      source.addEventListener("deleted", (e) => remove((JSON.parse((e as MessageEvent).data) as { id: string }).id));
      source.onerror = () => {
        // The browser retries a dropped stream itself; a refused one (401) is CLOSED.
        if (source?.readyState !== EventSource.CLOSED) return;
        source.close();
        timer = setTimeout(async () => {
          if (stopped) return;
          if (!(await refreshSession())) goToLogin();
          const still = await apiFetch(`/api/collections/${collectionId}`).catch(() => null);
          if (still?.status === 404) {
            stopped = true;
            setLost(true);
            return;
          }
          connect();
        }, retryMs);
        retryMs = Math.min(retryMs * 2, 30_000);
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
