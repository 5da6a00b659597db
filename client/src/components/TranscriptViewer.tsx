// A transcript with times and speakers: filter as you type, the line at `t`
// highlighted and scrolled into view, click a line to jump there (and seek the
// player); while the player plays, the current line follows it.
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import HighlightedText from "~/components/HighlightedText";
import type { PlayerControl } from "~/components/YoutubePlayer";
import { formatClock } from "~/lib/format";
import type { Segment } from "~/lib/types";

/** The segment playing at `ms`: the last one that starts at or before it. */
function segmentAt(segments: Segment[], ms: number | null): number | null {
  if (ms === null) return null;
  let found: number | null = null;
  for (const s of segments) {
    if (s.startMs === null) continue;
    if (s.startMs <= ms) found = s.ordinal;
    else break;
  }
  return found ?? segments[0]?.ordinal ?? null;
}

export default function TranscriptViewer(props: {
  segments: Segment[];
  hasTimestamps: boolean;
  atSeconds: number | null;
  /** End of the cited moment: the lines from `atSeconds` up to here are highlighted together. */
  untilSeconds?: number | null;
  player: PlayerControl | null;
  filter: string;
  onFilter: (value: string) => void;
  onPick: (seconds: number) => void;
}) {
  const filter = () => props.filter;
  const setFilter = (value: string) => props.onFilter(value);
  const [playingMs, setPlayingMs] = createSignal<number | null>(null);
  let list: HTMLOListElement | undefined;

  const [picked, setPicked] = createSignal<Segment | null>(null);
  // `t` is whole seconds (floored), so a line that starts within that second is the one meant.
  const currentMs = () => playingMs() ?? (props.atSeconds === null ? null : props.atSeconds * 1000 + 999);
  const active = createMemo(() => {
    if (!props.hasTimestamps) return null;
    const p = picked();
    if (p && playingMs() === null) return p.ordinal;
    return segmentAt(props.segments, currentMs());
  });
  // The cited moment's lines (a stretch of up to ~20 s), not the whole passage.
  const inMoment = (s: Segment) => {
    const from = props.atSeconds;
    const until = props.untilSeconds;
    if (from === null || until == null || s.startMs === null) return false;
    return s.startMs >= from * 1000 && s.startMs < until * 1000;
  };
  const visible = createMemo(() => {
    const q = filter().trim().toLowerCase();
    if (!q) return props.segments;
    return props.segments.filter((s) => s.text.toLowerCase().includes(q) || (s.speaker ?? "").toLowerCase().includes(q));
  });

  // Scroll only the transcript when it scrolls on its own (wide screens), so the
  // page header and player stay put; on phones the page itself scrolls.
  const scrollToActive = (behavior: ScrollBehavior) => {
    const el = list?.querySelector<HTMLElement>('[aria-current="true"]');
    if (!el || !list) return;
    if (list.scrollHeight > list.clientHeight + 1 && getComputedStyle(list).overflowY !== "visible") {
      list.scrollTo({ top: el.offsetTop - list.clientHeight / 3, behavior });
    } else el.scrollIntoView({ block: "center", behavior });
  };
  onMount(() => props.atSeconds !== null && scrollToActive("auto"));
  // A new `t` from a click or the address bar: the URL wins over playback.
  createEffect(
    on(
      () => props.atSeconds,
      (t) => {
        setPlayingMs(null);
        const p = picked();
        if (p && (p.startMs === null || Math.floor(p.startMs / 1000) !== t)) setPicked(null);
      },
      { defer: true },
    ),
  );
  createEffect(on(active, () => queueMicrotask(() => scrollToActive("smooth")), { defer: true }));

  // Follow the player while it plays.
  onMount(() => {
    const timer = setInterval(() => {
      const p = props.player;
      if (!p || !p.playing()) return;
      const t = p.currentTime();
      if (t !== null) setPlayingMs(t * 1000);
    }, 500);
    onCleanup(() => clearInterval(timer));
  });

  const pick = (segment: Segment) => {
    if (segment.startMs === null) return;
    const seconds = Math.floor(segment.startMs / 1000);
    setPicked(segment);
    setPlayingMs(null);
    props.onPick(seconds);
    props.player?.seekTo(segment.startMs / 1000);
  };

  return (
    <section class="transcript" aria-labelledby="transcript-title">
      <div class="transcript__toolbar">
        <h2 id="transcript-title" class="section-heading">
          Transcript
        </h2>
        <div class="transcript__filter">
          <label for="transcript-filter" class="visually-hidden">
            Filter the transcript
          </label>
          <input
            id="transcript-filter"
            type="search"
            placeholder="Filter lines…"
            value={filter()}
            onInput={(e) => setFilter(e.currentTarget.value)}
            autocomplete="off"
          />
          <Show when={filter().trim()}>
            <span class="transcript__count" role="status">
              {visible().length} of {props.segments.length}
            </span>
          </Show>
        </div>
      </div>
      <Show when={!props.hasTimestamps}>
        <p class="notice">This is a plain-text transcript without timestamps, so its lines cannot link to a moment in the video.</p>
      </Show>
      <Show when={visible().length} fallback={<p class="muted transcript__empty">No line contains “{filter()}”.</p>}>
        <ol class="transcript__lines" ref={list}>
          <For each={visible()}>
            {(segment, i) => {
              const prev = () => visible()[i() - 1];
              const showSpeaker = () => segment.speaker && (filter().trim() || prev()?.speaker !== segment.speaker);
              return (
                <li
                  class="line"
                  classList={{ "line--moment": inMoment(segment) }}
                  aria-current={active() === segment.ordinal ? "true" : undefined}
                  data-ordinal={segment.ordinal}
                  data-start-ms={segment.startMs ?? undefined}
                  data-end-ms={segment.endMs ?? undefined}
                >
                  <Show
                    when={props.hasTimestamps && segment.startMs !== null}
                    fallback={
                      <div class="line__body">
                        <Show when={showSpeaker()}>
                          <span class="line__speaker">{segment.speaker}</span>
                        </Show>
                        <span class="line__text">
                          <HighlightedText text={segment.text} query={filter()} />
                        </span>
                      </div>
                    }
                  >
                    <button type="button" class="line__button" onClick={() => pick(segment)}>
                      <span class="timestamp">{formatClock(segment.startMs)}</span>
                      <span class="line__body">
                        <Show when={showSpeaker()}>
                          <span class="line__speaker">{segment.speaker}</span>
                        </Show>
                        <span class="line__text">
                          <HighlightedText text={segment.text} query={filter()} />
                        </span>
                      </span>
                    </button>
                  </Show>
                </li>
              );
            }}
          </For>
        </ol>
      </Show>
    </section>
  );
}
