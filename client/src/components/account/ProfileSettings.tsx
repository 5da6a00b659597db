// Settings → your name and email: the name others see in shared collections,
// and whether the address is confirmed (with a new link when it is not).
import { revalidate, useSubmission } from "@solidjs/router";
import { createEffect, Show } from "solid-js";
import FormError from "~/components/FormError";
import { ResendLink } from "~/components/VerifyEmailPanel";
import { saveDisplayName } from "~/lib/auth";
import { getCurrentUser } from "~/lib/session";
import type { User } from "~/lib/types";

export default function ProfileSettings(props: { user: User }) {
  const saved = useSubmission(saveDisplayName);
  // The header shows the name too.
  createEffect(() => saved.result && void revalidate(getCurrentUser.key));
  return (
    <section class="card stack" aria-labelledby="profile-title">
      <h2 id="profile-title" class="section-heading">
        Profile
      </h2>
      <form action={saveDisplayName} method="post" class="form form--inline">
        <div class="field">
          <label for="display-name">Display name</label>
          <input id="display-name" name="displayName" required maxLength={200} value={props.user.displayName} />
        </div>
        <button class="button" type="submit" disabled={saved.pending}>
          {saved.pending ? "Saving…" : "Save"}
        </button>
      </form>
      <Show when={saved.result && !saved.pending}>
        <p role="status">Saved. Members of your shared collections now see “{saved.result!.saved}”.</p>
      </Show>
      <FormError error={saved.error} />
      <div>
        <p>
          Email: <strong>{props.user.email}</strong>{" "}
          <Show when={props.user.emailVerified} fallback={<span class="badge">not confirmed</span>}>
            <span class="badge badge--accent">confirmed</span>
          </Show>
        </p>
        <Show when={!props.user.emailVerified}>
          <ResendLink label="Send the confirmation link again" />
        </Show>
      </div>
    </section>
  );
}
