// Everything that adds videos to a collection, side by side.
import DropZone from "~/components/DropZone";
import YoutubeForm from "~/components/YoutubeForm";
import type { Video } from "~/lib/types";

export default function AddVideosPanel(props: { collectionId: string; onAdded: (video: Video) => void }) {
  return (
    <section class="card add-panel" aria-labelledby="add-title">
      <h2 id="add-title" class="section-heading">
        Add videos
      </h2>
      <div class="add-panel__grid">
        <YoutubeForm collectionId={props.collectionId} onAdded={props.onAdded} />
        <DropZone collectionId={props.collectionId} onAdded={props.onAdded} />
      </div>
    </section>
  );
}
