// The landing page's opening statement.
import { Show } from "solid-js";

export default function Hero(props: { signedIn?: boolean }) {
  return (
    <section class="hero" aria-labelledby="hero-title">
      <div class="container">
        <h1 id="hero-title" class="hero__title">
          Talk to your videos.
        </h1>
        <p class="hero__lede">Every answer cites the moment it came from.</p>
        <p class="hero__body">
          KnowledgeTree turns talks, lectures and meetings into a knowledge base you can question. Add videos to a collection, ask in plain
          language, and jump straight to the second that backs each claim.
        </p>
        <div class="hero__actions">
          <Show
            when={props.signedIn}
            fallback={
              <>
                <a class="button" href="/signup">
                  Start a collection
                </a>
                <a class="button button--ghost" href="/login">
                  Sign in
                </a>
              </>
            }
          >
            <a class="button" href="/collections">
              Go to your collections
            </a>
          </Show>
        </div>
      </div>
    </section>
  );
}
