// Confirms an email address. The token is POSTed from the browser once the
// page is open (never by the server on GET, so link scanners cannot use it up).
// A link used before says the address is already confirmed; a dead link offers
// a new one (sent to the signed-in account; signing in first if need be).
import { useAction, useSubmission } from "@solidjs/router";
import { onMount, Show } from "solid-js";
import FormError from "~/components/FormError";
import { resendVerification, verifyEmail } from "~/lib/auth";

export default function VerifyEmailPanel(props: { token: string }) {
  const verify = useAction(verifyEmail);
  const submission = useSubmission(verifyEmail);
  const run = () => void verify(props.token).catch(() => {});
  onMount(() => props.token && run());
  return (
    <Show when={props.token} fallback={<p class="form-error">This link has no token. Open the link from the email again.</p>}>
      <Show
        when={submission.result?.verified}
        fallback={
          <div class="stack">
            <p role="status">{submission.pending || !submission.error ? "Confirming your address…" : ""}</p>
            <FormError error={submission.error} />
            <button class="button" type="button" onClick={run} disabled={submission.pending}>
              Confirm my email address
            </button>
            <Show when={submission.error}>
              <ResendLink />
            </Show>
          </div>
        }
      >
        <div class="notice notice--ok" role="status">
          <h2 class="notice__title">{submission.result?.already ? "Already confirmed" : "Email confirmed"}</h2>
          <p>
            {submission.result?.already ? "This address was confirmed before — nothing more to do." : "Thanks — your address is verified."}
          </p>
          <a class="button" href="/collections">
            Go to your collections
          </a>
        </div>
      </Show>
    </Show>
  );
}

/** "Send a new link", for a link that expired or was replaced by a newer one. */
export function ResendLink(props: { label?: string }) {
  const resend = useAction(resendVerification);
  const sent = useSubmission(resendVerification);
  return (
    <Show when={!sent.result?.sent} fallback={<p role="status">A new link is on its way. Check your inbox.</p>}>
      <p>
        <button class="button button--ghost" type="button" disabled={sent.pending} onClick={() => void resend().catch(() => {})}>
          {sent.pending ? "Sending…" : (props.label ?? "Send me a new link")}
        </button>
      </p>
      <FormError error={sent.error} />
    </Show>
  );
}
