// Who joined, left, was invited, removed or changed role: the collection's
// membership history, newest first (the owner's view).
import { For, Show } from "solid-js";
import { formatDateTime } from "~/lib/format";
import type { ActivityView } from "~/lib/sharing";

function describe(a: ActivityView): string {
  const actor = a.actor?.displayName || "Someone";
  const subject = a.subject?.displayName || a.subject?.email || "someone";
  const role = a.role ?? "";
  switch (a.action) {
    case "invited":
      return `${actor} invited ${subject} as ${role}`;
    case "invite_resent":
      return `${actor} sent the invitation to ${subject} again`;
    case "invite_revoked":
      return `${actor} withdrew the invitation to ${subject}`;
    case "invite_declined":
      return `${subject} declined the invitation`;
    case "joined":
      return `${subject} joined as ${role}`;
    case "role_changed":
      return `${actor} made ${subject} ${role === "editor" ? "an editor" : "a viewer"}`;
    case "removed":
      return `${actor} removed ${subject}`;
    case "left":
      return `${subject} left`;
    case "ownership_transferred":
      return `${actor} made ${subject} the owner`;
    case "link_created":
      return `${actor} made a ${role} link`;
    case "link_revoked":
      return `${actor} revoked a ${role} link`;
  }
}

export default function ActivityLog(props: { items: ActivityView[] }) {
  return (
    <Show when={props.items.length}>
      <section aria-labelledby="activity-title" class="stack">
        <h3 id="activity-title" class="section-heading">
          Activity
        </h3>
        <ol class="activity-log">
          <For each={props.items}>
            {(a) => (
              <li data-testid="activity">
                <span>{describe(a)}</span> <time datetime={a.createdAt}>{formatDateTime(a.createdAt)}</time>
              </li>
            )}
          </For>
        </ol>
      </section>
    </Show>
  );
}
