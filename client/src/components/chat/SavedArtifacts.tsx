// The Studio's "Saved notes": the documents made so far, or why there are none
// (still loading, could not be read, nothing made yet).
import { Match, Switch } from "solid-js";
import type { ArtifactSummary } from "~/lib/types";
import ArtifactList from "./ArtifactList";

/** "unavailable": the server has no notes (an older api). */
export type SavedArtifactsStatus = "idle" | "loading" | "ready" | "error" | "unavailable";

export default function SavedArtifacts(props: {
  status: SavedArtifactsStatus;
  error: string | null;
  items: ArtifactSummary[];
  videoId?: string;
  readOnly?: boolean;
  onRetry: () => void;
  onOpen: (id: string) => void;
}) {
  return (
    <>
      <h3 class="panel-subtitle">Saved notes</h3>
      <Switch>
        <Match when={props.status === "loading"}>
          <p class="panel-empty">Loading…</p>
        </Match>
        <Match when={props.status === "error"}>
          <div class="panel-empty" role="alert">
            <p>{props.error}</p>
            <button type="button" class="chat-btn chat-btn--small" onClick={() => props.onRetry()}>
              Try again
            </button>
          </div>
        </Match>
        <Match when={!props.items.length}>
          <p class="panel-empty">
            {props.readOnly
              ? `No notes have been made from this ${props.videoId ? "video" : "conversation"}.`
              : "Nothing yet. Pick one above — it is saved here, with every version."}
          </p>
        </Match>
        <Match when={true}>
          <ArtifactList items={props.items} onOpen={props.onOpen} />
        </Match>
      </Switch>
    </>
  );
}
