// Passages of a collection that match a search, each showing why: the matched
// words marked in a snippet cut around them (by the api), or "similar wording"
// when only the embedding found it. The api leaves out hits below its
// relevance floor, so an unanswered search says so instead of listing filler.
import { createAsync } from "@solidjs/router";
import { For, Show, Suspense } from "solid-js";
import { formatClock } from "~/lib/format";
import type { SearchHit } from "~/lib/types";
import { searchCollection } from "~/lib/videos";

function countLine(hits: SearchHit[]): string {
  const videos = new Set(hits.map((h) => h.videoId)).size;
  const passages = hits.length === 1 ? "1 passage" : `${hits.length} passages`;
  return `${passages} in ${videos === 1 ? "1 video" : `${videos} videos`}`;
}

function momentHref(hit: SearchHit): string {
  const seconds = hit.momentSeconds ?? hit.startSeconds;
  return `/videos/${hit.videoId}${seconds !== null ? `?t=${seconds}` : ""}`;
}

export default function SearchResults(props: { collectionId: string; q: string }) {
  const hits = createAsync(() => searchCollection(props.collectionId, props.q));
  return (
    <Suspense fallback={<p class="muted">Searching…</p>}>
      <Show when={hits()}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="search-empty">Nothing matched “{props.q}”. Try other words.</p>}>
            <p class="search-count" data-testid="search-count">
              {countLine(list())}
            </p>
            <ol class="hit-list">
              <For each={list()}>
                {(hit) => (
                  <li class="hit">
                    <a class="hit__link" href={momentHref(hit)}>
                      <span class="hit__title">{hit.videoTitle}</span>
                      <Show when={(hit.momentStartMs ?? hit.startMs) !== null}>
                        <span class="timestamp">{formatClock(hit.momentStartMs ?? hit.startMs)}</span>
                      </Show>
                    </a>
                    {/* snippetHtml is escaped by the api; only <mark> is markup. */}
                    <p class="hit__snippet" innerHTML={hit.snippetHtml} />
                    <Show when={hit.fullTextRank === null}>
                      <p class="hit__why">Similar wording, no exact words in common</p>
                    </Show>
                  </li>
                )}
              </For>
            </ol>
          </Show>
        )}
      </Show>
    </Suspense>
  );
}
