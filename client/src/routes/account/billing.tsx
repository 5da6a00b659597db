// Account → Plan & usage: the plan and its renewal, a bar per limit, daily
// usage, invoices, and the way to Stripe's portal to change or cancel.
import { Title } from "@solidjs/meta";
import { createAsync, revalidate, useAction, useSearchParams, type RouteDefinition } from "@solidjs/router";
import { createSignal, onCleanup, onMount, Show } from "solid-js";
import BillingBanner from "~/components/billing/BillingBanner";
import InvoiceList from "~/components/billing/InvoiceList";
import UsageBars from "~/components/billing/UsageBars";
import UsageChart from "~/components/billing/UsageChart";
import { getBilling, getInvoices, openPortal } from "~/lib/billing";
import { messageOf } from "~/lib/problem";
import "~/components/billing/billing.css";

export const route = { preload: () => Promise.all([getBilling(), getInvoices()]) } satisfies RouteDefinition;

const day = (iso: string) => new Date(iso).toLocaleDateString("en-US", { month: "long", day: "numeric", year: "numeric", timeZone: "UTC" });

export default function BillingPage() {
  const billing = createAsync(() => getBilling());
  const invoices = createAsync(() => getInvoices());
  const portal = useAction(openPortal);
  const [error, setError] = createSignal<string | null>(null);
  const [params] = useSearchParams();
  // Back from Checkout the webhook may still be on its way: look again until the plan changes.
  onMount(() => {
    if (params.checkout !== "success") return;
    let tries = 0;
    const timer = setInterval(() => {
      if (++tries > 20 || billing()?.source === "stripe") return clearInterval(timer);
      void revalidate([getBilling.key, getInvoices.key]);
    }, 1500);
    onCleanup(() => clearInterval(timer));
  });
  return (
    <section class="container page" aria-labelledby="billing-title">
      <Title>Plan & usage — KnowledgeTree</Title>
      <Show when={billing()}>
        {(b) => (
          <>
            <header class="page__header">
              <div>
                <h1 id="billing-title">Plan & usage</h1>
                <p class="page__lede" data-testid="current-plan">
                  <strong>{b().plan.name}</strong> plan
                  <Show when={b().source === "stripe"}>
                    {" "}
                    · {b().cancelAtPeriodEnd ? "ends" : "renews"} on {day(b().periodEnd)}
                  </Show>
                  <Show when={b().source === "manual"}> · set by the operator</Show>
                </p>
              </div>
              <div class="row">
                <a class="button button--secondary" href="/pricing">
                  Change plan
                </a>
                <Show when={b().canManageBilling}>
                  <button type="button" class="button" onClick={() => portal().catch((e) => setError(messageOf(e)))}>
                    Manage billing
                  </button>
                </Show>
              </div>
            </header>
            <Show when={error()}>
              <p class="form-error" role="alert">
                {error()}
              </p>
            </Show>
            <BillingBanner banner={b().banner} canManage={b().canManageBilling} />
            <section class="card" aria-labelledby="usage-title">
              <h2 id="usage-title">Usage this period</h2>
              <p class="muted">
                {day(b().periodStart)} – {day(b().periodEnd)}
              </p>
              <UsageBars usage={b().usage} />
              <UsageChart periodStart={b().periodStart} daily={b().daily} />
            </section>
            <Show when={b().billingEnabled}>
              <section class="card" aria-labelledby="invoices-title">
                <h2 id="invoices-title">Billing history</h2>
                <InvoiceList invoices={invoices() ?? []} />
              </section>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
