// The upgrade prompt where a limit bites: from 80 % of a limit it names the
// limit and what is used, at 100 % it says what is refused and until when; both
// link to the pricing page.
import { Show } from "solid-js";

export default function UsageNotice(props: {
  what: string;
  used: number;
  limit: number | null;
  resetsAt?: string | null;
  plan?: string;
  action: string;
  format?: (n: number) => string;
}) {
  const show = (n: number) => (props.format ?? ((x: number) => x.toLocaleString("en-US")))(n);
  const ratio = () => (props.limit === null || props.limit === 0 ? (props.limit === 0 ? 1 : 0) : props.used / props.limit);
  const resets = () =>
    props.resetsAt
      ? ` It resets on ${new Date(props.resetsAt).toLocaleDateString("en-US", { month: "long", day: "numeric", timeZone: "UTC" })}.`
      : "";
  return (
    <Show when={props.limit !== null && ratio() >= 0.8}>
      <div class="notice usage-notice" classList={{ "usage-notice--full": ratio() >= 1 }} role="status" data-testid="usage-notice">
        <p>
          <Show
            when={ratio() >= 1}
            fallback={
              <>
                You have used {show(props.used)} of {show(props.limit!)} {props.what}
                {props.plan ? ` on the ${props.plan} plan` : ""}.
              </>
            }
          >
            You have used all {show(props.limit!)} {props.what}
            {props.plan ? ` of the ${props.plan} plan` : ""}: {props.action}.{resets()}
          </Show>{" "}
          <a href="/pricing">Upgrade for more</a>
        </p>
      </div>
    </Show>
  );
}
