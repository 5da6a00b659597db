// The transcript viewer page body: title, the player for YouTube videos, the
// transcript, and a side column with the video's details and its notes.
import { createAsync, useSearchParams } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import TranscriptViewer from "~/components/TranscriptViewer";
import VideoDetails from "~/components/VideoDetails";
import VideoNotes from "~/components/VideoNotes";
import VideoStatusBadge from "~/components/VideoStatusBadge";
import VideoTitle from "~/components/VideoTitle";
import YoutubePlayer, { type PlayerControl } from "~/components/YoutubePlayer";
import { getCollection } from "~/lib/collections";
import type { TranscriptWindow } from "~/lib/transcriptWindow";
import type { Video } from "~/lib/types";

export default function VideoPage(props: { video: Video; transcript: TranscriptWindow }) {
  const [params, setParams] = useSearchParams();
  const [player, setPlayer] = createSignal<PlayerControl | null>(null);
  const [filter, setFilter] = createSignal("");
  const collection = createAsync(() => getCollection(props.video.collectionId));
  const untilSeconds = () => {
    const raw = Array.isArray(params.until) ? params.until[0] : params.until;
    const n = raw === undefined ? NaN : Number.parseFloat(raw);
    return Number.isFinite(n) && n >= 0 ? n : null;
  };
  const atSeconds = () => {
    const raw = Array.isArray(params.t) ? params.t[0] : params.t;
    const n = raw === undefined ? NaN : Number.parseFloat(raw);
    return Number.isFinite(n) && n >= 0 ? n : null;
  };
  return (
    <div class="container page video-page" classList={{ "video-page--with-player": Boolean(props.video.youtubeId) }}>
      <header class="video-header">
        <nav aria-label="Breadcrumb" class="breadcrumb">
          <a href="/collections">Collections</a>
          <span aria-hidden="true">/</span>
          <a href={`/collections/${props.video.collectionId}`}>{collection()?.name ?? "Collection"}</a>
          <span aria-hidden="true">/</span>
        </nav>
        <h1 class="video-header__title">
          <VideoTitle video={props.video} canEdit={collection() !== undefined && collection()?.role !== "viewer"}>
            {props.video.title}
          </VideoTitle>
        </h1>
        <Show when={props.video.status !== "ready"}>
          <p class="video-header__meta">
            <VideoStatusBadge status={props.video.status} progress={props.video.progress} />
          </p>
        </Show>
      </header>
      <div class="video-layout">
        <div class="video-layout__main">
          <Show when={props.video.youtubeId}>
            {(youtubeId) => (
              <YoutubePlayer
                youtubeId={youtubeId()}
                title={props.video.title}
                startSeconds={atSeconds() ?? 0}
                watchUrl={props.video.watchUrl}
                onReady={setPlayer}
              />
            )}
          </Show>
          <Show
            when={props.transcript.total}
            fallback={
              <p class="notice">
                {props.video.status === "ready" ? "This transcript is empty." : "The transcript appears here once the video is processed."}
              </p>
            }
          >
            <TranscriptViewer
              videoId={props.video.id}
              transcript={props.transcript}
              hasTimestamps={props.video.hasTimestamps}
              hours={(props.video.durationMs ?? 0) >= 3_600_000}
              atSeconds={atSeconds()}
              untilSeconds={untilSeconds()}
              player={player()}
              filter={filter()}
              onFilter={setFilter}
              onPick={(seconds) => setParams({ t: String(seconds) }, { replace: true, scroll: false })}
            />
          </Show>
        </div>
        <div class="video-layout__side">
          <VideoDetails
            video={props.video}
            lineCount={props.transcript.total}
            speakers={props.transcript.speakers}
            filter={filter()}
            onFilter={setFilter}
          />
          <Show when={props.video.status === "ready"}>
            <VideoNotes videoId={props.video.id} readOnly={collection() === undefined || collection()?.role === "viewer"} />
          </Show>
        </div>
      </div>
    </div>
  );
}
