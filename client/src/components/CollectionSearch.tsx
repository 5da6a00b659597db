// The search card beside a collection's videos: the box only. Results open on
// the collection's search page, which has the width to show why each matched.
import SearchForm from "~/components/search/SearchForm";

export default function CollectionSearch(props: { collectionId: string }) {
  return (
    <section class="search" aria-labelledby="search-title">
      <h2 id="search-title" class="section-heading">
        Search this collection
      </h2>
      <SearchForm collectionId={props.collectionId} q="" />
      <p class="search-hint muted">
        Press <kbd>/</kbd> to search from anywhere on the page.
      </p>
    </section>
  );
}
