// Choose a new password with the token from the reset email.
import { useSubmission } from "@solidjs/router";
import { Show } from "solid-js";
import FormError from "~/components/FormError";
import { confirmPasswordReset } from "~/lib/auth";

export default function ResetConfirmForm(props: { token: string }) {
  const submission = useSubmission(confirmPasswordReset);
  return (
    <Show
      when={!submission.result?.done}
      fallback={
        <div class="notice notice--ok" role="status">
          <h2 class="notice__title">Password changed</h2>
          <p>Every session was signed out. Sign in with your new password.</p>
          <a class="button" href="/login">
            Sign in
          </a>
        </div>
      }
    >
      <form action={confirmPasswordReset} method="post" class="form">
        <input type="hidden" name="token" value={props.token} />
        <div class="field">
          <label for="new-password">New password</label>
          <input id="new-password" name="password" type="password" autocomplete="new-password" minLength={8} required />
        </div>
        <div class="field">
          <label for="confirm-password">Repeat it</label>
          <input id="confirm-password" name="confirm" type="password" autocomplete="new-password" minLength={8} required />
        </div>
        <FormError error={submission.error} />
        <button class="button button--block" type="submit" disabled={submission.pending}>
          {submission.pending ? "Saving…" : "Set new password"}
        </button>
      </form>
    </Show>
  );
}
