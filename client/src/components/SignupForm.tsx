// Create an account; on success the person is signed in at once and told to
// check their email. A taken address answers like a new one (no enumeration).
import { useSubmission } from "@solidjs/router";
import { Show } from "solid-js";
import FormError from "~/components/FormError";
import { signUp } from "~/lib/auth";

export default function SignupForm(props: { returnTo: string; email: string }) {
  const submission = useSubmission(signUp);
  return (
    <Show
      when={submission.result?.signedIn !== false}
      fallback={
        <div class="notice" role="status">
          <h2 class="notice__title">Check your email</h2>
          <p>
            If the address can receive email, a message is on its way with a link to confirm it. If you already have an account,{" "}
            <a href="/login">sign in</a> or <a href="/reset-password">reset your password</a>.
          </p>
        </div>
      }
    >
      <form action={signUp} method="post" class="form">
        <input type="hidden" name="returnTo" value={props.returnTo} />
        <div class="field">
          <label for="signup-name">
            Name <span class="field__optional">(optional)</span>
          </label>
          <input id="signup-name" name="displayName" type="text" autocomplete="name" maxLength={200} />
        </div>
        <div class="field">
          <label for="signup-email">Email</label>
          <input id="signup-email" name="email" type="email" autocomplete="email" value={props.email} required />
        </div>
        <div class="field">
          <label for="signup-password">Password</label>
          <input
            id="signup-password"
            name="password"
            type="password"
            autocomplete="new-password"
            minLength={8}
            required
            aria-describedby="signup-password-hint"
          />
          <p class="field__hint" id="signup-password-hint">
            At least 8 characters. A few unrelated words make a strong one.
          </p>
        </div>
        <FormError error={submission.error} />
        <button class="button button--block" type="submit" disabled={submission.pending}>
          {submission.pending ? "Creating your account…" : "Create account"}
        </button>
      </form>
    </Show>
  );
}
