// One bar per dimension: used / limit, percent, and when the count resets.
import { For, Show } from "solid-js";
import { DIMENSION_LABELS, formatLimit, type Usage } from "~/lib/billing";

const day = (iso: string) => new Date(iso).toLocaleDateString("en-US", { month: "long", day: "numeric", year: "numeric", timeZone: "UTC" });

export default function UsageBars(props: { usage: Usage[] }) {
  return (
    <ul class="usage-bars">
      <For each={props.usage}>
        {(u) => (
          <li class="usage-bar" data-dimension={u.dimension} classList={{ "usage-bar--over": u.overLimit }}>
            <div class="usage-bar__label">
              <span>{DIMENSION_LABELS[u.dimension]}</span>
              <span>
                {formatLimit(u.dimension, u.used)} of {formatLimit(u.dimension, u.limit)}
                <Show when={u.percent !== null}> ({u.percent}%)</Show>
              </span>
            </div>
            <Show when={u.limit !== null}>
              <progress max={100} value={u.percent ?? 0} aria-label={`${DIMENSION_LABELS[u.dimension]} used`} />
            </Show>
            <p class="muted usage-bar__reset">{u.resetsAt ? `Resets on ${day(u.resetsAt)}` : "In total, not per month"}</p>
          </li>
        )}
      </For>
    </ul>
  );
}
