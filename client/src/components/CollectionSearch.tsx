// Quick search over a collection's transcripts. A plain GET form (?q=), so it
// works before the page is interactive; hits open the transcript at the moment.
import { createAsync } from "@solidjs/router";
import { For, Show, Suspense } from "solid-js";
import { formatClock } from "~/lib/format";
import { searchCollection } from "~/lib/videos";

export default function CollectionSearch(props: { collectionId: string; q: string }) {
  const hits = createAsync(() => searchCollection(props.collectionId, props.q));
  return (
    <section class="search" aria-labelledby="search-title">
      <h2 id="search-title" class="section-heading">
        Search this collection
      </h2>
      <form method="get" class="input-row" role="search">
        <label for="collection-q" class="visually-hidden">
          Search the transcripts
        </label>
        <input
          id="collection-q"
          name="q"
          type="search"
          value={props.q}
          placeholder="Find a moment: a name, a term, a phrase…"
          maxLength={1000}
        />
        <button class="button button--ghost" type="submit">
          Search
        </button>
      </form>
      <Show when={props.q}>
        <Suspense fallback={<p class="muted">Searching…</p>}>
          <Show when={hits()?.length} fallback={<p class="muted">Nothing matched “{props.q}”. Try other words.</p>}>
            <ol class="hit-list">
              <For each={hits()}>
                {(hit) => (
                  <li class="hit">
                    <a
                      class="hit__link"
                      href={`/videos/${hit.videoId}${(hit.momentSeconds ?? hit.startSeconds) !== null ? `?t=${hit.momentSeconds ?? hit.startSeconds}` : ""}`}
                    >
                      <span class="hit__title">{hit.videoTitle}</span>
                      <Show when={hit.startMs !== null}>
                        <span class="timestamp">{formatClock(hit.startMs)}</span>
                      </Show>
                    </a>
                    {/* snippetHtml is escaped by the api; only <mark> is markup. */}
                    <p class="hit__snippet" innerHTML={hit.snippetHtml} />
                  </li>
                )}
              </For>
            </ol>
          </Show>
        </Suspense>
      </Show>
    </section>
  );
}
