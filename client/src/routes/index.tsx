// Landing page: what KnowledgeTree is, and whether the api is ready.
import { Title } from "@solidjs/meta";
import { createAsync, type RouteDefinition } from "@solidjs/router";
import { Suspense } from "solid-js";
import FeatureList from "~/components/FeatureList";
import Hero from "~/components/Hero";
import ReadinessStatus from "~/components/ReadinessStatus";
import { getCapabilities } from "~/lib/capabilities";
import { getReadiness } from "~/lib/health";
import { getCurrentUser } from "~/lib/session";

export const route = {
  // Capabilities are optional here: while the api is down the page still renders (the general case).
  preload: () => Promise.all([getReadiness(), getCapabilities().catch(() => undefined)]),
} satisfies RouteDefinition;

export default function Home() {
  const readiness = createAsync(() => getReadiness());
  const user = createAsync(() => getCurrentUser());
  // Unavailable while the api is down: the features then read as the general case.
  const capabilities = createAsync(() => getCapabilities().catch(() => undefined));
  return (
    <>
      <Title>KnowledgeTree — talk to your videos</Title>
      <Hero signedIn={Boolean(user())} />
      <FeatureList capabilities={capabilities()} />
      <section class="container status-section" aria-label="Service status">
        {/* Its own boundary, so the hero and features flush before /readyz answers. */}
        <Suspense fallback={<ReadinessStatus readiness={undefined} />}>
          <ReadinessStatus readiness={readiness()} />
        </Suspense>
      </section>
    </>
  );
}
