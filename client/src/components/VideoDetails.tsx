// The side card of the transcript viewer: facts about the video, its
// speakers (click one to show only their lines) and the way to ask about it.
import { For, Show } from "solid-js";
import { formatClock } from "~/lib/format";
import type { Segment, Video } from "~/lib/types";

const SOURCE = { youtube: "YouTube", transcript: "Subtitle file", audio: "Audio transcription" } as const;

export default function VideoDetails(props: { video: Video; segments: Segment[]; filter: string; onFilter: (value: string) => void }) {
  const speakers = () => {
    const counts = new Map<string, number>();
    for (const s of props.segments) if (s.speaker) counts.set(s.speaker, (counts.get(s.speaker) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  };
  return (
    <aside class="card video-details" aria-label="About this video">
      <dl class="facts">
        <Show when={props.video.durationMs}>
          <div>
            <dt>Length</dt>
            <dd>{formatClock(props.video.durationMs)}</dd>
          </div>
        </Show>
        <div>
          <dt>Lines</dt>
          <dd>{props.segments.length.toLocaleString("en")}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>{SOURCE[props.video.sourceType]}</dd>
        </div>
        <Show when={props.video.language}>
          <div>
            <dt>Language</dt>
            <dd>{props.video.language}</dd>
          </div>
        </Show>
      </dl>
      <Show when={props.video.sourceFilename}>
        <p class="video-details__file" title={props.video.sourceFilename!}>
          {props.video.sourceFilename}
        </p>
      </Show>
      <Show when={speakers().length}>
        <h2 class="video-details__heading">Speakers</h2>
        <ul class="chips">
          <For each={speakers()}>
            {([name, count]) => (
              <li>
                <button type="button" class="chip" aria-pressed={props.filter === name} onClick={() => props.onFilter(props.filter === name ? "" : name)}>
                  {name} <span class="chip__count">{count}</span>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <a class="button button--block" href={`/collections/${props.video.collectionId}/chat`}>
        Ask about this video
      </a>
      <Show when={props.video.watchUrl}>
        <a class="video-details__watch" href={props.video.watchUrl!} target="_blank" rel="noopener noreferrer">
          Open on YouTube ↗
        </a>
      </Show>
    </aside>
  );
}
