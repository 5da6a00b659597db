// Root component: router over the file routes, document metadata, global styles.
import { MetaProvider, Title } from "@solidjs/meta";
import { Router } from "@solidjs/router";
import { FileRoutes } from "@solidjs/start/router";
import { Suspense } from "solid-js";
import SiteFooter from "~/components/SiteFooter";
import SiteHeader from "~/components/SiteHeader";
import "./styles/tokens.css";
import "./styles/base.css";

export default function App() {
  return (
    <Router
      root={(props) => (
        <MetaProvider>
          <Title>KnowledgeTree — talk to your videos</Title>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <SiteHeader />
          <main id="main" tabindex="-1">
            <Suspense>{props.children}</Suspense>
          </main>
          <SiteFooter />
        </MetaProvider>
      )}
    >
      <FileRoutes />
    </Router>
  );
}
