// Queued / processing n% / ready / failed, as a small coloured badge.
import { progressPercent } from "~/components/ProgressBar";
import type { VideoStatus } from "~/lib/types";

const LABELS: Record<VideoStatus, string> = { queued: "Queued", processing: "Processing", ready: "Ready", failed: "Failed" };

export default function VideoStatusBadge(props: { status: VideoStatus; progress: number }) {
  return (
    <span class="badge status-badge" data-status={props.status}>
      {props.status === "processing" ? `${LABELS.processing} ${progressPercent(props.progress)}%` : LABELS[props.status]}
    </span>
  );
}
