// Public pricing: the plans and their limits; Upgrade goes to Stripe Checkout.
import { Title } from "@solidjs/meta";
import { createAsync, useSearchParams, type RouteDefinition } from "@solidjs/router";
import { Show } from "solid-js";
import PricingTable from "~/components/billing/PricingTable";
import SalesContactForm from "~/components/billing/SalesContactForm";
import { getBillingIfSignedIn, getCatalogue } from "~/lib/billing";

export const route = { preload: () => Promise.all([getCatalogue(), getBillingIfSignedIn()]) } satisfies RouteDefinition;

export default function Pricing() {
  const catalogue = createAsync(() => getCatalogue());
  const billing = createAsync(() => getBillingIfSignedIn());
  const [params] = useSearchParams();
  return (
    <section class="container page" aria-labelledby="pricing-title">
      <Title>Pricing — KnowledgeTree</Title>
      <header class="page__header">
        <div>
          <h1 id="pricing-title">Plans and pricing</h1>
          <p class="page__lede">Start free. Upgrade when your library grows; downgrading never deletes anything.</p>
        </div>
      </header>
      <Show when={params.checkout === "canceled"}>
        <p class="notice" role="status">
          Checkout was canceled; nothing was charged.
        </p>
      </Show>
      <Show when={catalogue()}>
        {(c) => <PricingTable catalogue={c()} currentPlan={billing()?.plan.id ?? null} signedIn={Boolean(billing())} />}
      </Show>
      <Show when={catalogue()?.salesContact}>
        <SalesContactForm />
      </Show>
    </section>
  );
}
