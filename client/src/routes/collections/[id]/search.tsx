// Search one collection (?q=): a full-width list of the passages that match,
// each with the words that made it match and a link to its moment.
import { Title } from "@solidjs/meta";
import { A, createAsync, useParams, useSearchParams, type RouteDefinition } from "@solidjs/router";
import { Match, Show, Switch } from "solid-js";
import NotFoundPanel from "~/components/NotFoundPanel";
import SearchForm from "~/components/search/SearchForm";
import SearchResults from "~/components/search/SearchResults";
import { getCollection } from "~/lib/collections";

export const route = {
  preload: ({ params }) => void getCollection(params.id!),
} satisfies RouteDefinition;

export default function CollectionSearchRoute() {
  const params = useParams<{ id: string }>();
  const [search] = useSearchParams();
  const collection = createAsync(() => getCollection(params.id));
  const q = () => (typeof search.q === "string" ? search.q.trim() : "");
  return (
    <Switch>
      <Match when={collection() === null}>
        <NotFoundPanel what="Collection" />
      </Match>
      <Match when={collection()}>
        {(c) => (
          <div class="container page search-page">
            <Title>{q() ? `“${q()}” in ${c().name}` : `Search ${c().name}`} — KnowledgeTree</Title>
            <nav aria-label="Breadcrumb" class="breadcrumb">
              <A href="/collections">Collections</A>
              <span aria-hidden="true">/</span>
              <A href={`/collections/${c().id}`}>{c().name}</A>
              <span aria-hidden="true">/</span>
            </nav>
            <h1 class="search-page__title">Search {c().name}</h1>
            <SearchForm collectionId={c().id} q={q()} autofocus={!q()} />
            <Show when={q()} fallback={<p class="muted">Type a name, a term or a question; press Enter.</p>}>
              <SearchResults collectionId={c().id} q={q()} />
            </Show>
          </div>
        )}
      </Match>
    </Switch>
  );
}
