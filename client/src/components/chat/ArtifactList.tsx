// The saved artifacts of a conversation or video, newest first.
import { For } from "solid-js";
import { ARTIFACT_KINDS } from "~/lib/chatArtifacts";
import type { ArtifactKind, ArtifactSummary } from "~/lib/types";
import { formatRelative } from "~/lib/chatFormat";

export const kindLabel = (k: ArtifactKind) => ARTIFACT_KINDS.find((x) => x.kind === k)?.label ?? k;

export default function ArtifactList(props: { items: ArtifactSummary[]; onOpen: (id: string) => void }) {
  return (
    <ul class="artifact-list">
      <For each={props.items}>
        {(a) => (
          <li>
            <button type="button" class="artifact-card" onClick={() => props.onOpen(a.id)}>
              <span class="artifact-card__kind">{kindLabel(a.kind)}</span>
              <span class="artifact-card__title">{a.title || kindLabel(a.kind)}</span>
              <span class="artifact-card__meta">
                v{a.latestVersion} · {formatRelative(a.updatedAt)}
              </span>
            </button>
          </li>
        )}
      </For>
    </ul>
  );
}
