// The chat page's header: the conversations menu (narrow screens), the way
// back to the collection, the conversation's title, and its actions: export,
// share (the author's only), and the Sources and Studio panel toggles.
import { Show } from "solid-js";
import type { Collection } from "~/lib/types";
import type { PanelTab } from "./ChatPanel";
import ExportMenu from "./ExportMenu";
import ShareToggle from "./ShareToggle";

export default function ChatHeader(props: {
  collection: Collection;
  title: string;
  conversationId: string | null;
  hasMessages: boolean;
  sidebarOpen: boolean;
  onOpenSidebar: () => void;
  /** The author's own conversation, open: offer the share switch. */
  canShare: boolean;
  shared: boolean;
  onShare: (shared: boolean) => Promise<void>;
  /** The panel's tab when the panel is visible, else null. */
  openTab: PanelTab | null;
  onTogglePanel: (tab: PanelTab) => void;
}) {
  return (
    <header class="chat-head">
      <button
        type="button"
        class="icon-btn chat-head__menu"
        aria-controls="chat-sidebar"
        aria-expanded={props.sidebarOpen}
        aria-label="Show conversations"
        onClick={() => props.onOpenSidebar()}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path d="M4 6h16M4 12h16M4 18h16" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        </svg>
      </button>
      <div class="chat-head__titles">
        <a class="chat-head__crumb" href={`/collections/${props.collection.id}`}>
          {props.collection.name}
        </a>
        <h1 id="chat-title" class="chat-head__title">
          {props.title}
        </h1>
      </div>
      <div class="chat-head__actions">
        <Show when={props.conversationId && props.hasMessages}>
          <ExportMenu conversationId={props.conversationId!} />
        </Show>
        <Show when={props.canShare}>
          <ShareToggle shared={props.shared} collectionName={props.collection.name} onChange={props.onShare} />
        </Show>
        <button
          type="button"
          class="chat-btn chat-btn--ghost"
          aria-controls="chat-panel"
          aria-expanded={props.openTab === "sources"}
          aria-label="Sources"
          onClick={() => props.onTogglePanel("sources")}
        >
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
            <path d="M5 4h10l4 4v12H5zM9 11h6M9 15h6" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" />
          </svg>
          <span class="chat-head__label">Sources</span>
        </button>
        <button
          type="button"
          class="chat-btn chat-btn--ghost"
          aria-controls="chat-panel"
          aria-expanded={props.openTab === "studio"}
          aria-label="Studio"
          onClick={() => props.onTogglePanel("studio")}
        >
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
            <path
              d="M12 3l2 5 5 2-5 2-2 5-2-5-5-2 5-2zM19 16l.8 2 2 .8-2 .8-.8 2-.8-2-2-.8 2-.8z"
              fill="none"
              stroke="currentColor"
              stroke-width="1.6"
              stroke-linejoin="round"
            />
          </svg>
          <span class="chat-head__label">Studio</span>
        </button>
      </div>
    </header>
  );
}
