// The not-found page body, with a real 404 status on the server.
import { Title } from "@solidjs/meta";
import { HttpStatusCode } from "@solidjs/start";

export default function NotFoundPanel(props: { what?: string }) {
  return (
    <section class="container not-found" aria-labelledby="not-found-title">
      <Title>Page not found — KnowledgeTree</Title>
      <HttpStatusCode code={404} />
      <p class="not-found__code" aria-hidden="true">
        404
      </p>
      <h1 id="not-found-title">{props.what ? `${props.what} not found` : "Page not found"}</h1>
      <p>There is nothing here — it may have been deleted, or it is not shared with you.</p>
      <p class="row">
        <a class="button" href="/collections">
          Your collections
        </a>
        <a class="button button--ghost" href="/">
          Home
        </a>
      </p>
    </section>
  );
}
