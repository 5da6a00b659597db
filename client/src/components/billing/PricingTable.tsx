// The plans side by side with their limits, a monthly/yearly switch, the
// current plan marked, and what each button does: Checkout when billing is on
// and you are signed in, sign-up when you are not, the sales form for Enterprise.
import { useAction, useSubmission } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import { formatLimit, formatPrice, startCheckout, type Catalogue, type PlanOffer } from "~/lib/billing";
import { messageOf } from "~/lib/problem";
import "./billing.css";

const ROWS: {
  key: keyof PlanOffer["limits"];
  label: string;
  dimension: "videos" | "minutes" | "messages" | "storage_bytes" | "members";
  per?: string;
}[] = [
  { key: "videos", label: "Videos", dimension: "videos", per: "in total" },
  { key: "minutes", label: "Transcription minutes", dimension: "minutes", per: "a month" },
  { key: "messages", label: "Chat messages", dimension: "messages", per: "a month" },
  { key: "storageBytes", label: "Storage", dimension: "storage_bytes" },
  { key: "membersPerCollection", label: "Members per collection", dimension: "members" },
];

export default function PricingTable(props: { catalogue: Catalogue; currentPlan: string | null; signedIn: boolean }) {
  const [interval, setInterval] = createSignal<"month" | "year">("month");
  const checkout = useAction(startCheckout);
  const pending = useSubmission(startCheckout);
  const [error, setError] = createSignal<string | null>(null);
  const buy = (plan: string) => {
    setError(null);
    checkout(plan, interval()).catch((e) => setError(messageOf(e)));
  };
  const price = (plan: PlanOffer) => (interval() === "month" ? plan.monthlyCents : plan.yearlyCents);
  return (
    <div class="pricing">
      <div class="pricing__toggle" role="group" aria-label="Billing period">
        <button type="button" class="chip" aria-pressed={interval() === "month"} onClick={() => setInterval("month")}>
          Monthly
        </button>
        <button type="button" class="chip" aria-pressed={interval() === "year"} onClick={() => setInterval("year")}>
          Yearly <span class="muted">(2 months free)</span>
        </button>
      </div>
      <Show when={error()}>
        <p class="form-error" role="alert">
          {error()}
        </p>
      </Show>
      <ul class="pricing__plans">
        <For each={props.catalogue.plans}>
          {(plan) => (
            <li class="card pricing__plan" classList={{ "pricing__plan--current": props.currentPlan === plan.id }} data-plan={plan.id}>
              <h2>{plan.name}</h2>
              <p class="pricing__price">
                {formatPrice(price(plan), props.catalogue.currency)}
                <Show when={plan.monthlyCents > 0}>
                  <span class="muted"> / {interval()}</span>
                </Show>
              </p>
              <p class="muted">{plan.description}</p>
              <ul class="pricing__limits">
                <For each={ROWS}>
                  {(row) => (
                    <li>
                      {formatLimit(row.dimension, plan.limits[row.key])} {row.label.toLowerCase()}
                      {row.per && plan.limits[row.key] !== null ? ` ${row.per}` : ""}
                    </li>
                  )}
                </For>
              </ul>
              <Show when={props.currentPlan === plan.id}>
                <p class="badge">Your plan</p>
              </Show>
              <Show when={props.currentPlan !== plan.id && plan.monthlyCents > 0}>
                <Show
                  when={plan.contactSales}
                  fallback={
                    <Show when={props.catalogue.billingEnabled}>
                      <Show
                        when={props.signedIn}
                        fallback={
                          <a class="button" href="/signup?returnTo=/pricing">
                            Sign up to upgrade
                          </a>
                        }
                      >
                        <button type="button" class="button" disabled={pending.pending} onClick={() => buy(plan.id)}>
                          Upgrade to {plan.name}
                        </button>
                      </Show>
                    </Show>
                  }
                >
                  <Show when={props.catalogue.salesContact}>
                    <a class="button button--secondary" href="#contact">
                      Contact us
                    </a>
                  </Show>
                </Show>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={!props.catalogue.billingEnabled}>
        <p class="muted">Billing is not enabled on this server: every account is on the {props.catalogue.defaultPlan} plan.</p>
      </Show>
    </div>
  );
}
