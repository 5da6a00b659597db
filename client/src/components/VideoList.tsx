// The collection's videos, kept live over the progress stream.
import { For, Show } from "solid-js";
import EmptyState from "~/components/EmptyState";
import VideoRow from "~/components/VideoRow";
import type { Video } from "~/lib/types";

export default function VideoList(props: {
  videos: Video[];
  canEdit: boolean;
  onChanged: (video: Video) => void;
  onDeleted: (id: string) => void;
}) {
  return (
    <Show
      when={props.videos.length}
      fallback={
        <EmptyState title="No videos yet" icon="▶">
          <p>
            Paste a YouTube link or drop subtitle files (.vtt, .srt) above. Each one is transcribed, indexed and ready to ask about in
            seconds.
          </p>
        </EmptyState>
      }
    >
      <ul class="video-list" aria-label="Videos">
        <For each={props.videos}>
          {(video) => <VideoRow video={video} canEdit={props.canEdit} onChanged={props.onChanged} onDeleted={props.onDeleted} />}
        </For>
      </ul>
    </Show>
  );
}
