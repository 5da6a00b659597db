// Root component: router over the file routes, document metadata, global styles.
import { MetaProvider, Title } from "@solidjs/meta";
import { Router } from "@solidjs/router";
import { FileRoutes } from "@solidjs/start/router";
import { ErrorBoundary, onMount, Suspense } from "solid-js";
import PageError from "~/components/PageError";
import SiteFooter from "~/components/SiteFooter";
import SiteHeader from "~/components/SiteHeader";
import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/app.css";

export default function App() {
  // Lets tests (and styles) tell a hydrated page from server HTML.
  onMount(() => document.documentElement.setAttribute("data-hydrated", ""));
  return (
    <Router
      root={(props) => (
        <MetaProvider>
          <Title>KnowledgeTree — talk to your videos</Title>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <Suspense>
            <SiteHeader />
          </Suspense>
          <main id="main" tabindex="-1">
            <ErrorBoundary fallback={(error, reset) => <PageError error={error} reset={reset} />}>
              <Suspense>{props.children}</Suspense>
            </ErrorBoundary>
          </main>
          <SiteFooter />
        </MetaProvider>
      )}
    >
      <FileRoutes />
    </Router>
  );
}
