// One video of a collection: title (renamed inline by editors), source, live
// status and progress, the failure reason with Retry, and delete with confirmation.
import { useAction, useSubmission } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import ConfirmDialog from "~/components/ConfirmDialog";
import FormError from "~/components/FormError";
import ProgressBar from "~/components/ProgressBar";
import VideoTitle from "~/components/VideoTitle";
import VideoStatusBadge from "~/components/VideoStatusBadge";
import { formatClock } from "~/lib/format";
import type { Video } from "~/lib/types";
import { deleteVideo, retryVideo } from "~/lib/videos";

const SOURCE_LABEL = { youtube: "YouTube", transcript: "Transcript", audio: "Audio" } as const;

export default function VideoRow(props: {
  video: Video;
  canEdit: boolean;
  onChanged: (video: Video) => void;
  onDeleted: (id: string) => void;
}) {
  const [confirming, setConfirming] = createSignal(false);
  const retry = useAction(retryVideo);
  const retrying = useSubmission(retryVideo, (input) => input[0] === props.video.id);
  const remove = useAction(deleteVideo);
  const removing = useSubmission(deleteVideo, (input) => input[0] === props.video.id);
  const busy = () => props.video.status === "queued" || props.video.status === "processing";
  const detail = () => {
    const v = props.video;
    const parts: string[] = [SOURCE_LABEL[v.sourceType]];
    if (v.durationMs) parts.push(formatClock(v.durationMs));
    if (v.status === "ready" && v.segmentCount) parts.push(`${v.segmentCount} lines`);
    if (v.status === "ready" && !v.hasTimestamps) parts.push("no timestamps");
    return parts.join(" · ");
  };
  return (
    <li class="video-row" data-status={props.video.status} data-video-id={props.video.id}>
      <div class="video-row__icon" aria-hidden="true" data-source={props.video.sourceType}>
        {props.video.sourceType === "youtube" ? "▶" : props.video.sourceType === "audio" ? "♪" : "≡"}
      </div>
      <div class="video-row__main">
        <p class="video-row__title">
          <VideoTitle video={props.video} canEdit={props.canEdit} onRenamed={props.onChanged}>
            <Show when={props.video.status === "ready"} fallback={<span>{props.video.title}</span>}>
              <a href={`/videos/${props.video.id}`}>{props.video.title}</a>
            </Show>
          </VideoTitle>
        </p>
        <p class="video-row__meta">
          <VideoStatusBadge status={props.video.status} progress={props.video.progress} />
          <span>{detail()}</span>
        </p>
        <Show when={busy()}>
          <ProgressBar value={props.video.status === "queued" ? 0 : props.video.progress} label={`Processing ${props.video.title}`} />
        </Show>
        <Show when={props.video.status === "failed"}>
          <p class="video-row__error" role="alert">
            {props.video.error ?? "Processing failed."}
          </p>
        </Show>
        <FormError error={retrying.error ?? removing.error} />
      </div>
      <Show when={props.canEdit}>
        <div class="video-row__actions">
          <Show when={props.video.status === "failed"}>
            <button
              type="button"
              class="button button--small"
              disabled={retrying.pending}
              onClick={() =>
                void retry(props.video.id)
                  .then(props.onChanged)
                  .catch(() => {})
              }
            >
              Retry
            </button>
          </Show>
          <button
            type="button"
            class="icon-button"
            aria-label={`Delete ${props.video.title}`}
            title="Delete"
            onClick={() => setConfirming(true)}
          >
            <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
              <path
                d="M7 3h6m-9 3h12m-1 0-.7 10.2a1.5 1.5 0 0 1-1.5 1.3H7.2a1.5 1.5 0 0 1-1.5-1.3L5 6m3 3v5m4-5v5"
                fill="none"
                stroke="currentColor"
                stroke-width="1.6"
                stroke-linecap="round"
              />
            </svg>
          </button>
        </div>
      </Show>
      <ConfirmDialog
        open={confirming()}
        title={`Delete “${props.video.title}”?`}
        confirmLabel="Delete video"
        busy={removing.pending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          void remove(props.video.id)
            .then(() => {
              setConfirming(false);
              props.onDeleted(props.video.id);
            })
            .catch(() => {})
        }
      >
        <p>The transcript and its search index go too. Answers that cited it keep their text.</p>
      </ConfirmDialog>
    </li>
  );
}
