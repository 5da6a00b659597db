// What to do when there is nothing here yet.
import type { JSX } from "solid-js";

export default function EmptyState(props: { title: string; children: JSX.Element; icon?: string }) {
  return (
    <div class="empty-state">
      <span class="empty-state__icon" aria-hidden="true">
        {props.icon ?? "◇"}
      </span>
      <h2 class="empty-state__title">{props.title}</h2>
      <div class="empty-state__body">{props.children}</div>
    </div>
  );
}
