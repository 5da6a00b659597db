// Ask for a password-reset link by email.
import { useSubmission } from "@solidjs/router";
import { Show } from "solid-js";
import FormError from "~/components/FormError";
import { requestPasswordReset } from "~/lib/auth";

export default function ResetRequestForm() {
  const submission = useSubmission(requestPasswordReset);
  return (
    <Show
      when={!submission.result?.sent}
      fallback={
        <div class="notice" role="status">
          <h2 class="notice__title">Check your email</h2>
          <p>If an account uses that address, a link to choose a new password is on its way. It works for one hour.</p>
        </div>
      }
    >
      <form action={requestPasswordReset} method="post" class="form">
        <div class="field">
          <label for="reset-email">Email</label>
          <input id="reset-email" name="email" type="email" autocomplete="email" required />
        </div>
        <FormError error={submission.error} />
        <button class="button button--block" type="submit" disabled={submission.pending}>
          {submission.pending ? "Sending…" : "Email me a reset link"}
        </button>
      </form>
    </Show>
  );
}
