// A one-line badge with the api's readiness, as reported by /readyz.
import type { Readiness } from "~/lib/health";

export default function ReadinessStatus(props: { readiness: Readiness | undefined }) {
  const label = () => {
    const readiness = props.readiness;
    if (!readiness) return "Checking systems…";
    if (readiness.state === "ready") return "All systems ready";
    return `Not ready: ${readiness.reason}`;
  };
  return (
    <p class="status" role="status" data-state={props.readiness?.state ?? "checking"}>
      <span class="status__dot" aria-hidden="true" />
      <span>{label()}</span>
    </p>
  );
}
