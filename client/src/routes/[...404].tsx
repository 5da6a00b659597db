// Anything no other route matches.
import { Title } from "@solidjs/meta";
import { HttpStatusCode } from "@solidjs/start";

export default function NotFound() {
  return (
    <section class="container not-found" aria-labelledby="not-found-title">
      <Title>Page not found — KnowledgeTree</Title>
      <HttpStatusCode code={404} />
      <h1 id="not-found-title">Page not found</h1>
      <p>There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <p>
        <a class="button" href="/">
          Back to the start
        </a>
      </p>
    </section>
  );
}
