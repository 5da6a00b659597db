// A cited moment beside the chat: the transcript around it with the cited lines
// marked, the YouTube player at that second when the video is on YouTube, and
// the way to the full transcript. Opened by a citation chip or a source; each
// moment is its own view (ChatPanel keys it), so the player starts at its second.
import { createEffect, createResource, For, Show } from "solid-js";
import YoutubePlayer from "~/components/YoutubePlayer";
import { apiJson } from "~/lib/browserApi";
import { formatClock, formatRange, momentHref } from "~/lib/chatFormat";
import type { Segment, Source, Video } from "~/lib/types";

// Enough context to read the moment in its place without the whole transcript.
const CONTEXT_MS = 45_000;

/** The lines to highlight: the citation's moment when it has one, else its whole passage. */
export function citedRange(s: Source): { startMs: number; endMs: number } | null {
  const startMs = s.momentStartMs ?? s.startMs;
  if (startMs === null) return null;
  const endMs = s.momentStartMs != null ? (s.momentEndMs ?? startMs) : (s.endMs ?? startMs);
  return { startMs, endMs: Math.max(endMs, startMs + 1) };
}

export default function CitedMoment(props: { source: Source; video: Video | undefined; onBack: () => void }) {
  const moment = () => citedRange(props.source);
  const span = () => {
    const m = moment();
    if (!m) return null;
    const videoId = props.source.videoId;
    return { videoId, fromMs: Math.max(0, m.startMs - CONTEXT_MS), toMs: m.endMs + CONTEXT_MS };
  };
  const [excerpt] = createResource(span, (w) =>
    apiJson<{ segments: Segment[] }>(`/api/videos/${encodeURIComponent(w.videoId)}/transcript?fromMs=${w.fromMs}&toMs=${w.toMs}`).then(
      (b) => b.segments,
    ),
  );
  const cited = (seg: Segment) => {
    const m = moment();
    if (!m || seg.startMs === null) return false;
    return seg.startMs < m.endMs && (seg.endMs ?? seg.startMs + 1) > m.startMs;
  };
  const seconds = () => props.source.momentSeconds ?? props.source.startSeconds;
  let list: HTMLOListElement | undefined;
  createEffect(() => {
    if (excerpt()) queueMicrotask(() => list?.querySelector(".moment__line--cited")?.scrollIntoView({ block: "center" }));
  });

  return (
    <section class="moment" aria-labelledby="moment-title">
      <div class="moment__head">
        <button type="button" class="chat-link moment__back" onClick={() => props.onBack()}>
          ← All sources
        </button>
        <h2 id="moment-title" class="moment__title">
          <span class="source__n">{props.source.n}</span> {props.source.videoTitle}
        </h2>
        <p class="moment__time">
          {formatRange(props.source.startSeconds, props.source.endSeconds)}
          <Show when={props.source.speakers.length}> · {props.source.speakers.join(", ")}</Show>
        </p>
      </div>
      <Show when={props.video?.youtubeId} keyed>
        {(youtubeId) => (
          <YoutubePlayer
            youtubeId={youtubeId}
            title={props.source.videoTitle}
            startSeconds={seconds() ?? 0}
            watchUrl={props.video?.watchUrl ?? null}
            onReady={() => {}}
          />
        )}
      </Show>
      <Show when={span() && !excerpt.error} fallback={<blockquote class="moment__quote">{props.source.snippet}</blockquote>}>
        <ol class="moment__lines" ref={list} aria-busy={excerpt.loading} aria-label="Transcript around the cited moment">
          <For each={excerpt() ?? []}>
            {(seg) => (
              <li
                class="moment__line"
                data-start-ms={seg.startMs ?? undefined}
                classList={{ "moment__line--cited": cited(seg) }}
                aria-current={cited(seg) ? "true" : undefined}
              >
                <span class="moment__stamp">{seg.startMs === null ? "" : formatClock(seg.startMs / 1000)}</span>
                <span class="moment__text">
                  <Show when={seg.speaker}>
                    <strong>{seg.speaker}: </strong>
                  </Show>
                  {seg.text}
                </span>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <a class="chat-btn chat-btn--ghost moment__open" href={momentHref(props.source)}>
        Open full transcript
      </a>
    </section>
  );
}
