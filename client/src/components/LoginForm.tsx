// Email + password sign-in; errors from the api shown inline.
import { useSubmission } from "@solidjs/router";
import FormError from "~/components/FormError";
import { logIn } from "~/lib/auth";

export default function LoginForm(props: { returnTo: string }) {
  const submission = useSubmission(logIn);
  return (
    <form action={logIn} method="post" class="form" aria-describedby="login-error">
      <input type="hidden" name="returnTo" value={props.returnTo} />
      <div class="field">
        <label for="login-email">Email</label>
        <input id="login-email" name="email" type="email" autocomplete="email" required />
      </div>
      <div class="field">
        <div class="field__label-row">
          <label for="login-password">Password</label>
          <a class="field__aside" href="/reset-password">
            Forgot it?
          </a>
        </div>
        <input id="login-password" name="password" type="password" autocomplete="current-password" required />
      </div>
      <FormError id="login-error" error={submission.error} />
      <button class="button button--block" type="submit" disabled={submission.pending}>
        {submission.pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
