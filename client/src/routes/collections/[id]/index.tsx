// One collection: its videos with live progress, adding more, and the search box.
import { Title } from "@solidjs/meta";
import { createAsync, Navigate, useParams, useSearchParams, type RouteDefinition } from "@solidjs/router";
import { Match, Switch } from "solid-js";
import CollectionPage from "~/components/CollectionPage";
import NotFoundPanel from "~/components/NotFoundPanel";
import { getCapabilities } from "~/lib/capabilities";
import { getCollection } from "~/lib/collections";
import { getVideos } from "~/lib/videos";

export const route = {
  preload: ({ params }) => {
    void getCollection(params.id!);
    void getVideos(params.id!);
    void getCapabilities().catch(() => undefined);
  },
} satisfies RouteDefinition;

export default function CollectionRoute() {
  const params = useParams<{ id: string }>();
  const [search] = useSearchParams();
  const collection = createAsync(() => getCollection(params.id));
  const videos = createAsync(() => getVideos(params.id));
  const q = () => (typeof search.q === "string" ? search.q : "");
  return (
    <Switch>
      {/* Search results moved to their own page; old ?q= links still land there. */}
      <Match when={q()}>
        <Navigate href={`/collections/${params.id}/search?${new URLSearchParams({ q: q() })}`} />
      </Match>
      <Match when={collection() === null}>
        <NotFoundPanel what="Collection" />
      </Match>
      <Match when={collection()}>
        {(c) => (
          <>
            <Title>{c().name} — KnowledgeTree</Title>
            <CollectionPage collection={c()} videos={videos} />
          </>
        )}
      </Match>
    </Switch>
  );
}
