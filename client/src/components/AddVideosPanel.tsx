// Everything that adds videos to a collection, side by side, with the plan's
// video and storage limits named when they are close.
import { createAsync, revalidate } from "@solidjs/router";
import { For, Show } from "solid-js";
import UsageNotice from "~/components/billing/UsageNotice";
import DropZone from "~/components/DropZone";
import YoutubeForm from "~/components/YoutubeForm";
import { formatLimit, getBillingIfSignedIn } from "~/lib/billing";
import { getCapabilities } from "~/lib/capabilities";
import type { Video } from "~/lib/types";
import "~/components/billing/billing.css";

export default function AddVideosPanel(props: { collectionId: string; onAdded: (video: Video) => void }) {
  const billing = createAsync(() => getBillingIfSignedIn());
  const capabilities = createAsync(() => getCapabilities());
  const limits = () => (billing()?.usage ?? []).filter((u) => u.dimension === "videos" || u.dimension === "storage_bytes");
  const added = (video: Video) => {
    props.onAdded(video);
    void revalidate(getBillingIfSignedIn.key);
  };
  return (
    <section class="card add-panel" aria-labelledby="add-title">
      <h2 id="add-title" class="section-heading">
        Add videos
      </h2>
      <For each={limits()}>
        {(u) =>
          u.dimension === "videos" ? (
            <UsageNotice what="videos" used={u.used} limit={u.limit} plan={billing()?.plan.name} action="delete one to add another" />
          ) : (
            <UsageNotice
              what="of storage"
              used={u.used}
              limit={u.limit}
              format={(n) => formatLimit("storage_bytes", n)}
              plan={billing()?.plan.name}
              action="uploads are refused"
            />
          )
        }
      </For>
      <div class="add-panel__grid">
        <YoutubeForm collectionId={props.collectionId} onAdded={added} />
        <Show when={capabilities()}>{(c) => <DropZone collectionId={props.collectionId} uploads={c().uploads} onAdded={added} />}</Show>
      </div>
    </section>
  );
}
