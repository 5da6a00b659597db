// The search box of a collection: a plain GET form to its search page, so it
// works before the page is interactive. "/" focuses it.
import { focusOnSlash } from "~/lib/slashFocus";

export default function SearchForm(props: { collectionId: string; q: string; autofocus?: boolean }) {
  let input: HTMLInputElement | undefined;
  focusOnSlash(() => input);
  return (
    <form method="get" action={`/collections/${props.collectionId}/search`} class="input-row" role="search">
      <label for="collection-q" class="visually-hidden">
        Search the transcripts
      </label>
      <input
        ref={input}
        id="collection-q"
        name="q"
        type="search"
        value={props.q}
        placeholder="Find a moment: a name, a term, a phrase…"
        maxLength={1000}
        aria-keyshortcuts="/"
        autofocus={props.autofocus}
      />
      <button class="button button--ghost" type="submit">
        Search
      </button>
    </form>
  );
}
