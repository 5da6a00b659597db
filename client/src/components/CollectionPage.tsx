// The body of a collection page: header, add videos, live list, search box.
import CollectionHeader from "~/components/CollectionHeader";
import AddVideosPanel from "~/components/AddVideosPanel";
import CollectionSearch from "~/components/CollectionSearch";
import VideoList from "~/components/VideoList";
import { createLiveVideos } from "~/lib/liveVideos";
import type { Collection, Video } from "~/lib/types";
import "~/components/sharing/sharing.css";
import { Show } from "solid-js";

export default function CollectionPage(props: { collection: Collection; videos: () => Video[] | undefined }) {
  const live = createLiveVideos(props.collection.id, props.videos);
  const canEdit = () => props.collection.role !== "viewer";
  const readyCount = () => live.videos.filter((v) => v.status === "ready").length;
  return (
    <div class="container page collection-page">
      <Show when={live.lost()}>
        <p class="notice notice--error" role="alert" data-testid="access-lost">
          You no longer have access to this collection. <a href="/collections">Back to your collections</a>
        </p>
      </Show>
      <CollectionHeader collection={props.collection} readyCount={readyCount()} videoCount={live.videos.length} />
      <div class="collection-layout">
        <div class="collection-layout__main">
          <Show when={canEdit()}>
            <AddVideosPanel collectionId={props.collection.id} onAdded={live.upsert} />
          </Show>
          <section aria-labelledby="videos-title" class="videos-section">
            <h2 id="videos-title" class="section-heading">
              Videos <span class="count">{live.videos.length}</span>
            </h2>
            <VideoList videos={live.videos} canEdit={canEdit()} onChanged={live.upsert} onDeleted={live.remove} />
          </section>
        </div>
        <aside class="collection-layout__side">
          <CollectionSearch collectionId={props.collection.id} />
        </aside>
      </div>
    </div>
  );
}
