// Your collections and those shared with you (with their owner and your
// role), invitations waiting for you; create, rename, delete.
import { Title } from "@solidjs/meta";
import { createAsync, useSearchParams, type RouteDefinition } from "@solidjs/router";
import { createMemo, For, Show } from "solid-js";
import CollectionCard from "~/components/CollectionCard";
import CreateCollectionForm from "~/components/CreateCollectionForm";
import EmptyState from "~/components/EmptyState";
import InvitationList from "~/components/sharing/InvitationList";
import { getCollections } from "~/lib/collections";
import { getCurrentUser } from "~/lib/session";
import { getInvitations } from "~/lib/sharing";

export const route = { preload: () => Promise.all([getCollections(), getInvitations()]) } satisfies RouteDefinition;

export default function Collections() {
  const collections = createAsync(() => getCollections());
  const user = createAsync(() => getCurrentUser());
  const invitations = createAsync(() => getInvitations());
  const yours = createMemo(() => collections()?.filter((c) => c.role === "owner") ?? []);
  const shared = createMemo(() => collections()?.filter((c) => c.role !== "owner") ?? []);
  const [params] = useSearchParams();
  return (
    <section class="container page" aria-labelledby="collections-title">
      <Title>Collections — KnowledgeTree</Title>
      <Show when={params.welcome ? user() : null}>
        {(u) => (
          <p class="notice notice--ok" role="status">
            Welcome{u().displayName ? `, ${u().displayName}` : ""}! We sent a link to <strong>{u().email}</strong> to confirm your address —
            you can start right away.
          </p>
        )}
      </Show>
      <header class="page__header">
        <div>
          <h1 id="collections-title">Collections</h1>
          <p class="page__lede">Group videos by topic, then ask questions across them.</p>
        </div>
      </header>
      <Show when={invitations()}>{(list) => <InvitationList invitations={list()} />}</Show>
      <CreateCollectionForm autofocus={collections()?.length === 0} />
      <Show
        when={collections()?.length}
        fallback={
          <Show when={collections()}>
            <EmptyState title="No collections yet">
              <p>
                Name your first collection above — for example “Team meetings” or “Python talks” — then add YouTube links or subtitle files
                to it and start asking questions.
              </p>
            </EmptyState>
          </Show>
        }
      >
        <Show when={yours().length}>
          <h2 class="section-heading" id="yours-title">
            Yours <span class="count">{yours().length}</span>
          </h2>
          <ul class="collection-grid" aria-labelledby="yours-title">
            <For each={yours()}>{(collection) => <CollectionCard collection={collection} />}</For>
          </ul>
        </Show>
        <Show when={shared().length}>
          <h2 class="section-heading" id="shared-title">
            Shared with you <span class="count">{shared().length}</span>
          </h2>
          <ul class="collection-grid" aria-labelledby="shared-title" data-testid="shared-collections">
            <For each={shared()}>{(collection) => <CollectionCard collection={collection} />}</For>
          </ul>
        </Show>
      </Show>
    </section>
  );
}
