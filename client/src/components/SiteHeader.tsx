// Top bar shown on every page: wordmark, primary navigation (Chat leads to the
// open collection's chat, or to the last one: routes/chat.tsx) and the user menu.
import { A, createAsync, useLocation } from "@solidjs/router";
import { Show } from "solid-js";
import UserMenu from "~/components/UserMenu";
import { getCurrentUser } from "~/lib/session";

const COLLECTION_PATH = /^\/collections\/([0-9a-f-]{36})(\/|$)/i;

export default function SiteHeader() {
  const user = createAsync(() => getCurrentUser());
  const location = useLocation();
  const collectionId = () => COLLECTION_PATH.exec(location.pathname)?.[1];
  const inChat = () => /^\/collections\/[^/]+\/chat$/.test(location.pathname);
  return (
    <header class="site-header" classList={{ "site-header--signed-in": Boolean(user()) }}>
      <div class="container site-header__inner">
        <a class="wordmark" href={user() ? "/collections" : "/"} aria-label="KnowledgeTree home">
          <span class="wordmark__mark" aria-hidden="true">
            ◆
          </span>
          <span class="wordmark__text">KnowledgeTree</span>
        </a>
        <nav aria-label="Primary">
          <ul class="nav-list">
            <Show
              when={user()}
              fallback={
                <>
                  <li class="nav-list__secondary">
                    <a class="nav-link" href="/#features">
                      Features
                    </a>
                  </li>
                  <li class="nav-list__secondary">
                    <a class="nav-link" href="/pricing">
                      Pricing
                    </a>
                  </li>
                  <li>
                    <a class="nav-link" href="/login">
                      Sign in
                    </a>
                  </li>
                  <li>
                    <a class="button button--small" href="/signup">
                      Sign up
                    </a>
                  </li>
                </>
              }
            >
              {(signedIn) => (
                <>
                  <li>
                    <A class="nav-link" href="/collections" end activeClass="nav-link--active">
                      Collections
                    </A>
                  </li>
                  <li>
                    <a
                      class="nav-link"
                      classList={{ "nav-link--active": inChat() }}
                      href={collectionId() ? `/collections/${collectionId()}/chat` : "/chat"}
                      aria-current={inChat() ? "page" : undefined}
                    >
                      Chat
                    </a>
                  </li>
                  <li>
                    <UserMenu email={signedIn().email} name={signedIn().displayName} />
                  </li>
                </>
              )}
            </Show>
          </ul>
        </nav>
      </div>
    </header>
  );
}
