// Chat with a collection; `?c=<conversation id>` picks the conversation. The
// collection and its videos are read on the server (a 404 page when it is not
// yours); conversations and answers are read in the browser, which follows
// the live streams and sanitises the answers' Markdown with the DOM.
import { createAsync, revalidate, useNavigate, useParams, type RouteDefinition } from "@solidjs/router";
import { createMemo, onMount, Show } from "solid-js";
import ChatView from "~/components/chat/ChatView";
import NotFoundPanel from "~/components/NotFoundPanel";
import { getCapabilities } from "~/lib/capabilities";
import { getCollection } from "~/lib/collections";
import { getCurrentUser } from "~/lib/session";
import { useQueryParam } from "~/lib/queryParam";
import { getVideos } from "~/lib/videos";

export const route = {
  preload: ({ params }) => {
    void getCollection(params.id!);
    void getVideos(params.id!);
    void getCurrentUser();
    void getCapabilities().catch(() => undefined);
  },
} satisfies RouteDefinition;

export default function ChatRoute() {
  const params = useParams<{ id: string }>();
  // Not useSearchParams (see queryParam.ts): "New conversation" and deleting
  // the open one drop `?c=`, and the chat must follow.
  const conversationId = useQueryParam("c");
  // "Ask about this video" (the transcript page) starts a conversation about that video.
  const video = useQueryParam("video");
  // One array per URL, not a new one (and a new memo) on each read of the prop.
  const initialSources = createMemo(() => {
    const v = video();
    return v ? [v] : [];
  });
  const navigate = useNavigate();
  const collection = createAsync(() => getCollection(params.id));
  const videos = createAsync(() => getVideos(params.id));
  // Whose conversations are whose: another member's shared one opens read-only.
  const user = createAsync(() => getCurrentUser());
  // Arriving from the collection page, the router reuses the lists it rendered,
  // which the live progress there did not update (a video may have become ready since).
  onMount(() => void revalidate([getCollection.keyFor(params.id), getVideos.keyFor(params.id)]));
  const hrefFor = (c: string | null) => `/collections/${params.id}/chat${c ? `?c=${encodeURIComponent(c)}` : ""}`;
  return (
    <Show when={collection() !== undefined && user() !== undefined}>
      <Show when={collection()} fallback={<NotFoundPanel what="Collection" />}>
        {(c) => (
          <ChatView
            collection={c()}
            videos={videos() ?? []}
            userId={user()?.id ?? ""}
            conversationId={conversationId()}
            initialSources={initialSources()}
            hrefFor={hrefFor}
            navigate={(id) => navigate(hrefFor(id))}
          />
        )}
      </Show>
    </Show>
  );
}
