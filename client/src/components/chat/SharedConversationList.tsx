// "Shared in this collection" in the chat sidebar: conversations other members
// shared read-only (author, title, when it last changed). Yours stay in your list.
import { For, Match, Switch } from "solid-js";
import { formatRelative } from "~/lib/chatFormat";
import type { SharedConversations } from "~/lib/sharedConversations";

export default function SharedConversationList(props: {
  shared: SharedConversations;
  userId: string;
  activeId: string | null;
  hrefFor: (id: string) => string;
  onNavigate: () => void;
}) {
  const others = () => props.shared.state.items.filter((c) => c.author.id !== props.userId);
  return (
    <section class="conv-shared" aria-labelledby="conv-shared-title" data-testid="shared-conversations">
      <h2 id="conv-shared-title" class="panel-subtitle">
        Shared in this collection
      </h2>
      <Switch>
        <Match when={props.shared.state.status === "error" && !others().length}>
          <p class="panel-empty">{props.shared.state.error}</p>
        </Match>
        <Match when={props.shared.state.status === "ready" && !others().length}>
          <p class="panel-empty">Conversations other members share appear here, read-only.</p>
        </Match>
        <Match when={true}>
          <ul class="conv-list">
            <For each={others()}>
              {(c) => (
                <li class="conv" classList={{ "conv--active": c.id === props.activeId }}>
                  <a
                    class="conv__link"
                    href={props.hrefFor(c.id)}
                    aria-current={c.id === props.activeId ? "page" : undefined}
                    onClick={() => props.onNavigate()}
                  >
                    <span class="conv__title">{c.title}</span>
                    <span class="conv__meta">
                      {c.author.displayName} · {formatRelative(c.updatedAt)}
                    </span>
                  </a>
                </li>
              )}
            </For>
          </ul>
        </Match>
      </Switch>
    </section>
  );
}
