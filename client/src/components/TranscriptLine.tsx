// One line of the transcript: its time (a button that picks the moment),
// speaker when it changes, and text with the filter's matches marked.
import { Show } from "solid-js";
import HighlightedText from "~/components/HighlightedText";
import { formatClock } from "~/lib/format";
import type { Segment } from "~/lib/types";

export default function TranscriptLine(props: {
  segment: Segment;
  hasTimestamps: boolean;
  showSpeaker: boolean;
  filter: string;
  current: boolean;
  inMoment: boolean;
  onPick: (segment: Segment) => void;
  /** Virtual mode: where the line sits in the whole list, and how the list measures it. */
  index?: number;
  /** Called with the rendered line, for the virtualiser to measure (not `ref`: Solid treats that prop specially). */
  measure?: (el: HTMLLIElement) => void;
  style?: Record<string, string>;
}) {
  const body = () => (
    <>
      <Show when={props.showSpeaker}>
        <span class="line__speaker">{props.segment.speaker}</span>
      </Show>
      <span class="line__text">
        <HighlightedText text={props.segment.text} query={props.filter} />
      </span>
    </>
  );
  return (
    <li
      ref={(el) => props.measure?.(el)}
      class="line"
      classList={{ "line--moment": props.inMoment }}
      style={props.style}
      aria-current={props.current ? "true" : undefined}
      data-index={props.index}
      data-ordinal={props.segment.ordinal}
      data-start-ms={props.segment.startMs ?? undefined}
      data-end-ms={props.segment.endMs ?? undefined}
    >
      <Show when={props.hasTimestamps && props.segment.startMs !== null} fallback={<div class="line__body">{body()}</div>}>
        <button type="button" class="line__button" onClick={() => props.onPick(props.segment)}>
          <span class="timestamp">{formatClock(props.segment.startMs)}</span>
          <span class="line__body">{body()}</span>
        </button>
      </Show>
    </li>
  );
}
