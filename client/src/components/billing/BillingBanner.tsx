// Why the account is limited right now: a failed payment (the plan holds until
// the grace period ends), a lapsed subscription, or data over a smaller plan.
import { Match, Switch } from "solid-js";
import { DIMENSION_LABELS, type Banner } from "~/lib/billing";

export default function BillingBanner(props: { banner: Banner; canManage: boolean }) {
  const day = (iso: string) => new Date(iso).toLocaleDateString("en-US", { month: "long", day: "numeric", timeZone: "UTC" });
  return (
    <Switch>
      <Match when={props.banner?.kind === "past_due" && props.banner}>
        {(b) => (
          <div class="notice notice--warn" role="alert" data-testid="billing-banner">
            <p class="notice__title">Your last payment failed.</p>
            <p>
              Your plan stays active until {day((b() as { graceEndsAt: string }).graceEndsAt)}; after that the account moves to the Free
              plan. {props.canManage ? "Update your payment method under “Manage billing”." : ""}
            </p>
          </div>
        )}
      </Match>
      <Match when={props.banner?.kind === "lapsed"}>
        <div class="notice notice--warn" role="alert" data-testid="billing-banner">
          <p class="notice__title">Your subscription lapsed after a failed payment.</p>
          <p>The account is on the Free plan. Nothing was deleted; pay the open invoice or choose a plan to lift the limits.</p>
        </div>
      </Match>
      <Match when={props.banner?.kind === "over_limit" && props.banner}>
        {(b) => (
          <div class="notice notice--warn" role="status" data-testid="billing-banner">
            <p class="notice__title">You are over your plan’s limits.</p>
            <p>
              {(b() as { dimensions: string[] }).dimensions
                .map((d) => DIMENSION_LABELS[d as keyof typeof DIMENSION_LABELS] ?? d)
                .join(", ")}
              : everything you have stays readable, but you cannot add more until you are under the limit again or{" "}
              <a href="/pricing">upgrade</a>.
            </p>
          </div>
        )}
      </Match>
    </Switch>
  );
}
