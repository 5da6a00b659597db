// Your collections: create, rename, delete.
import { Title } from "@solidjs/meta";
import { createAsync, useSearchParams, type RouteDefinition } from "@solidjs/router";
import { For, Show } from "solid-js";
import CollectionCard from "~/components/CollectionCard";
import CreateCollectionForm from "~/components/CreateCollectionForm";
import EmptyState from "~/components/EmptyState";
import { getCollections } from "~/lib/collections";
import { getCurrentUser } from "~/lib/session";

export const route = { preload: () => getCollections() } satisfies RouteDefinition;

export default function Collections() {
  const collections = createAsync(() => getCollections());
  const user = createAsync(() => getCurrentUser());
  const [params] = useSearchParams();
  return (
    <section class="container page" aria-labelledby="collections-title">
      <Title>Collections — KnowledgeTree</Title>
      <Show when={params.welcome ? user() : null}>
        {(u) => (
          <p class="notice notice--ok" role="status">
            Welcome{u().displayName ? `, ${u().displayName}` : ""}! We sent a link to <strong>{u().email}</strong> to confirm
            your address — you can start right away.
          </p>
        )}
      </Show>
      <header class="page__header">
        <div>
          <h1 id="collections-title">Collections</h1>
          <p class="page__lede">Group videos by topic, then ask questions across them.</p>
        </div>
      </header>
      <CreateCollectionForm autofocus={collections()?.length === 0} />
      <Show
        when={collections()?.length}
        fallback={
          <Show when={collections()}>
            <EmptyState title="No collections yet">
              <p>
                Name your first collection above — for example “Team meetings” or “Python talks” — then add YouTube links
                or subtitle files to it and start asking questions.
              </p>
            </EmptyState>
          </Show>
        }
      >
        <ul class="collection-grid">
          <For each={collections()}>{(collection) => <CollectionCard collection={collection} />}</For>
        </ul>
      </Show>
    </section>
  );
}
