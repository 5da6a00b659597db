// A transcript with times and speakers: filter as you type (the list scrolls
// to the first match), the line at `t` highlighted and scrolled into view,
// click a line to jump there (and seek the player); while the player plays,
// the current line follows it.
//
// The server renders only a window of lines around `t` (transcriptWindow.ts);
// once the page is interactive the whole transcript is fetched and shown
// through a window virtualiser (@tanstack/solid-virtual): the page is the one
// scroll container and only the lines near the viewport are in the DOM.
import { createWindowVirtualizer } from "@tanstack/solid-virtual";
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import TranscriptLine from "~/components/TranscriptLine";
import type { PlayerControl } from "~/components/YoutubePlayer";
import { apiJson } from "~/lib/browserApi";
import { indexAt, type TranscriptWindow } from "~/lib/transcriptWindow";
import type { Segment } from "~/lib/types";

/** Height kept clear at the top when scrolling a line to the top: site header and sticky toolbar. */
const STICKY_TOP_PX = 140;

export default function TranscriptViewer(props: {
  videoId: string;
  transcript: TranscriptWindow;
  hasTimestamps: boolean;
  /** Over an hour long: timestamps get room for the hour. */
  hours: boolean;
  atSeconds: number | null;
  /** End of the cited moment: the lines from `atSeconds` up to here are highlighted together. */
  untilSeconds?: number | null;
  player: PlayerControl | null;
  filter: string;
  onFilter: (value: string) => void;
  onPick: (seconds: number) => void;
}) {
  const filter = () => props.filter;
  const [playingMs, setPlayingMs] = createSignal<number | null>(null);
  const [all, setAll] = createSignal<Segment[] | null>(null);
  const [margin, setMargin] = createSignal(0);
  let list: HTMLOListElement | undefined;

  const lines = () => all() ?? props.transcript.segments;
  const [picked, setPicked] = createSignal<Segment | null>(null);
  // `t` is whole seconds (floored), so a line that starts within that second is the one meant.
  const currentMs = () => playingMs() ?? (props.atSeconds === null ? null : props.atSeconds * 1000 + 999);
  const active = createMemo(() => {
    if (!props.hasTimestamps) return null;
    const p = picked();
    if (p && playingMs() === null) return p.ordinal;
    const i = indexAt(lines(), currentMs());
    return i === null ? null : (lines()[i]?.ordinal ?? null);
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
    if (!q) return lines();
    return lines().filter((s) => s.text.toLowerCase().includes(q) || (s.speaker ?? "").toLowerCase().includes(q));
  });
  const showSpeaker = (i: number) => {
    const s = visible()[i];
    return Boolean(s?.speaker && (filter().trim() || visible()[i - 1]?.speaker !== s.speaker));
  };

  const virtualizer = createWindowVirtualizer({
    get count() {
      return all() ? visible().length : 0;
    },
    estimateSize: () => 44,
    overscan: 12,
    get scrollMargin() {
      return margin();
    },
    scrollPaddingStart: STICKY_TOP_PX,
    getItemKey: (i) => visible()[i]?.ordinal ?? i,
  });
  // Where the list starts in the page: what the player, header and details above it take.
  const measureMargin = () => {
    if (list) setMargin(Math.round(list.getBoundingClientRect().top + window.scrollY));
  };

  const scrollToActive = (behavior: ScrollBehavior) => {
    const ordinal = active();
    if (ordinal === null) return;
    if (all()) {
      const i = visible().findIndex((s) => s.ordinal === ordinal);
      if (i >= 0) virtualizer.scrollToIndex(i, { align: "center", behavior: behavior === "smooth" ? "smooth" : "auto" });
      return;
    }
    list?.querySelector<HTMLElement>('[aria-current="true"]')?.scrollIntoView({ block: "center", behavior });
  };

  // The whole transcript, once the window is on screen and interactive.
  const loadAll = (videoId: string) =>
    apiJson<{ segments: Segment[] }>(`/api/videos/${encodeURIComponent(videoId)}/transcript`)
      .then(({ segments }) => {
        if (videoId !== props.videoId) return;
        setAll(segments);
        measureMargin();
        if (props.atSeconds !== null || picked()) scrollToActive("auto");
      })
      .catch(() => {
        /* the window stays; nothing else to show */
      });
  onMount(() => {
    if (props.atSeconds !== null) scrollToActive("auto");
    const resize = new ResizeObserver(measureMargin);
    resize.observe(document.body);
    onCleanup(() => resize.disconnect());
    void loadAll(props.videoId);
  });
  // Another video in the same page (client-side navigation): its window, then its lines.
  createEffect(
    on(
      () => props.videoId,
      (id) => {
        setAll(null);
        setPicked(null);
        void loadAll(id);
      },
      { defer: true },
    ),
  );
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
  // Filtering shows the first match at the top of the list.
  createEffect(
    on(
      () => filter().trim(),
      () => {
        if (all() && visible().length) virtualizer.scrollToIndex(0, { align: "start" });
      },
      { defer: true },
    ),
  );

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
  // `start`: the line's offset in the virtual list (virtual mode only).
  const line = (segment: Segment, i: () => number, start?: () => number) => (
    <TranscriptLine
      segment={segment}
      hasTimestamps={props.hasTimestamps}
      showSpeaker={showSpeaker(i())}
      filter={filter()}
      current={active() === segment.ordinal}
      inMoment={inMoment(segment)}
      onPick={pick}
      index={start ? i() : undefined}
      measure={start ? (el) => queueMicrotask(() => el.isConnected && virtualizer.measureElement(el)) : undefined}
      style={start ? { transform: `translateY(${start() - margin()}px)` } : undefined}
    />
  );

  return (
    <section class="transcript" classList={{ "transcript--hours": props.hours }} aria-labelledby="transcript-title">
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
            onInput={(e) => props.onFilter(e.currentTarget.value)}
            autocomplete="off"
          />
          <Show when={filter().trim()}>
            <span class="transcript__count" role="status">
              {visible().length} of {all()?.length ?? props.transcript.total}
            </span>
          </Show>
        </div>
      </div>
      <Show when={!props.hasTimestamps}>
        <p class="notice">This is a plain-text transcript without timestamps, so its lines cannot link to a moment in the video.</p>
      </Show>
      <Show when={visible().length} fallback={<p class="muted transcript__empty">No line contains “{filter()}”.</p>}>
        <Show
          when={all()}
          fallback={
            <ol class="transcript__lines" ref={list}>
              <For each={visible()}>{(segment, i) => line(segment, i)}</For>
            </ol>
          }
        >
          <ol class="transcript__lines transcript__lines--virtual" ref={list} style={{ height: `${virtualizer.getTotalSize()}px` }}>
            <For each={virtualizer.getVirtualItems()}>
              {(item) => (
                <Show when={visible()[item.index]} keyed>
                  {(segment) =>
                    line(
                      segment,
                      () => item.index,
                      () => item.start,
                    )
                  }
                </Show>
              )}
            </For>
          </ol>
        </Show>
      </Show>
    </section>
  );
}
