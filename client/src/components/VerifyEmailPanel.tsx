// Confirms an email address. The token is POSTed from the browser once the
// page is open (never by the server on GET, so link scanners cannot use it up).
import { useAction, useSubmission } from "@solidjs/router";
import { onMount, Show } from "solid-js";
import FormError from "~/components/FormError";
import { verifyEmail } from "~/lib/auth";

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
          </div>
        }
      >
        <div class="notice notice--ok" role="status">
          <h2 class="notice__title">Email confirmed</h2>
          <p>Thanks — your address is verified.</p>
          <a class="button" href="/collections">
            Go to your collections
          </a>
        </div>
      </Show>
    </Show>
  );
}
