// Shown when a page fails to render: what happened, and a way forward.
import { Title } from "@solidjs/meta";
import { messageOf } from "~/lib/problem";

export default function PageError(props: { error: unknown; reset: () => void }) {
  if (typeof console !== "undefined") console.error(props.error);
  return (
    <section class="container not-found" aria-labelledby="page-error-title" role="alert">
      <Title>Something went wrong — KnowledgeTree</Title>
      <h1 id="page-error-title">Something went wrong</h1>
      <p>{messageOf(props.error)}</p>
      <p class="row">
        <button type="button" class="button" onClick={() => props.reset()}>
          Try again
        </button>
        <a class="button button--ghost" href="/collections">
          Your collections
        </a>
      </p>
    </section>
  );
}
