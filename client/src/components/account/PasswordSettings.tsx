// Settings → password: the current one (when the account has one), the new one
// twice. Every other session is signed out; this one stays.
import { useSubmission } from "@solidjs/router";
import { createEffect, Show } from "solid-js";
import FormError from "~/components/FormError";
import { changePassword } from "~/lib/auth";

export default function PasswordSettings(props: { hasPassword: boolean }) {
  const changed = useSubmission(changePassword);
  let form: HTMLFormElement | undefined;
  createEffect(() => changed.result && !changed.pending && form?.reset());
  return (
    <section class="card stack" aria-labelledby="password-title">
      <h2 id="password-title" class="section-heading">
        {props.hasPassword ? "Change password" : "Set a password"}
      </h2>
      <Show when={!props.hasPassword}>
        <p>You sign in with a provider. A password lets you sign in with your email address too.</p>
      </Show>
      <form ref={form} action={changePassword} method="post" class="form">
        <Show when={props.hasPassword}>
          <div class="field">
            <label for="current-password">Current password</label>
            <input id="current-password" name="currentPassword" type="password" autocomplete="current-password" required />
          </div>
        </Show>
        <div class="field">
          <label for="new-password">New password</label>
          <input id="new-password" name="newPassword" type="password" autocomplete="new-password" minLength={8} required />
        </div>
        <div class="field">
          <label for="confirm-password">Repeat the new password</label>
          <input id="confirm-password" name="confirm" type="password" autocomplete="new-password" minLength={8} required />
        </div>
        <FormError error={changed.error} />
        <Show when={changed.result && !changed.pending}>
          <p class="notice notice--ok" role="status">
            {changed.result!.message}
          </p>
        </Show>
        <p>
          <button class="button" type="submit" disabled={changed.pending}>
            {changed.pending ? "Saving…" : "Change password"}
          </button>
        </p>
      </form>
    </section>
  );
}
