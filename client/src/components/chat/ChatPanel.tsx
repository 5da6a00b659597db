// The chat's right panel: the selected answer's sources (or one cited moment
// of it), or the Studio. ChatView decides whether it shows (beside the chat
// when wide, a drawer when narrow); this renders its tabs and body.
import { Show } from "solid-js";
import type { ChatMessage } from "~/lib/chatState";
import type { Source, Video } from "~/lib/types";
import ArtifactPanel from "./ArtifactPanel";
import CitedMoment from "./CitedMoment";
import SourcesPanel from "./SourcesPanel";

export type PanelTab = "sources" | "studio";

export default function ChatPanel(props: {
  tab: PanelTab;
  onTab: (tab: PanelTab) => void;
  onClose: () => void;
  selected: ChatMessage | undefined;
  cited: readonly number[];
  /** The cited moment shown instead of the list of sources. */
  moment: Source | null;
  onOpenMoment: (n: number) => void;
  onCloseMoment: () => void;
  videos: readonly Video[];
  conversationId: string | null;
  readOnly: boolean;
  hasAnswers: boolean;
}) {
  return (
    <aside id="chat-panel" class="chat-panel" aria-label={props.tab === "sources" ? "Sources" : "Studio"}>
      <div class="chat-panel__tabs" role="tablist" aria-label="Panel">
        <button
          type="button"
          role="tab"
          id="tab-sources"
          class="chat-panel__tab"
          aria-selected={props.tab === "sources"}
          aria-controls="panel-sources"
          onClick={() => props.onTab("sources")}
        >
          Sources
          <Show when={props.selected?.sources.length}>
            <span class="count">{props.selected!.sources.length}</span>
          </Show>
        </button>
        <button
          type="button"
          role="tab"
          id="tab-studio"
          class="chat-panel__tab"
          aria-selected={props.tab === "studio"}
          aria-controls="panel-studio"
          onClick={() => props.onTab("studio")}
        >
          Studio
        </button>
        <button type="button" class="icon-btn chat-panel__close" aria-label="Close the panel" onClick={() => props.onClose()}>
          ✕
        </button>
      </div>
      <div
        class="chat-panel__body"
        role="tabpanel"
        id={props.tab === "sources" ? "panel-sources" : "panel-studio"}
        aria-labelledby={props.tab === "sources" ? "tab-sources" : "tab-studio"}
      >
        <Show
          when={props.tab === "sources"}
          fallback={<ArtifactPanel conversationId={props.conversationId} readOnly={props.readOnly} hasAnswers={props.hasAnswers} />}
        >
          {/* keyed: another moment is a fresh view (its player starts at that second); a
              non-keyed accessor could be read after the moment closed, while the page unmounts. */}
          <Show
            when={props.moment}
            keyed
            fallback={
              <SourcesPanel
                sources={props.selected?.sources ?? []}
                cited={props.cited}
                streaming={props.selected?.status === "streaming"}
                onOpen={props.onOpenMoment}
              />
            }
          >
            {(source) => (
              <CitedMoment source={source} video={props.videos.find((v) => v.id === source.videoId)} onBack={() => props.onCloseMoment()} />
            )}
          </Show>
        </Show>
      </div>
    </aside>
  );
}
