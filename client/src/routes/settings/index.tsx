// Settings: your name and email, your password, and deleting the account.
import { Title } from "@solidjs/meta";
import { createAsync, revalidate, type RouteDefinition } from "@solidjs/router";
import { onMount, Show } from "solid-js";
import DeleteAccount from "~/components/account/DeleteAccount";
import PasswordSettings from "~/components/account/PasswordSettings";
import ProfileSettings from "~/components/account/ProfileSettings";
import { getDeletionSummary } from "~/lib/auth";
import { getCurrentUser } from "~/lib/session";

export const route = { preload: () => Promise.all([getCurrentUser(), getDeletionSummary()]) } satisfies RouteDefinition;

export default function SettingsPage() {
  // Redirects to sign-in without a session (apiRequired).
  const summary = createAsync(() => getDeletionSummary());
  const user = createAsync(() => getCurrentUser());
  // Reached by a click (the account menu), the user read from the router's cache
  // never settled here, so the page stayed blank (accountSettings.e2e); the header
  // shows that entry fine. Read it again on arrival, as the chat route does for
  // its lists.
  onMount(() => void revalidate(getCurrentUser.key));
  return (
    <section class="container page" aria-labelledby="settings-title">
      <Title>Settings — KnowledgeTree</Title>
      <header class="page__header">
        <div>
          <h1 id="settings-title">Settings</h1>
          <p class="page__lede">
            Your profile, password and account. Devices signed in are under <a href="/settings/sessions">Sessions</a>.
          </p>
        </div>
      </header>
      <Show when={user() && summary()}>
        <div class="stack">
          <ProfileSettings user={user()!} />
          <PasswordSettings hasPassword={summary()!.hasPassword} />
          <DeleteAccount summary={summary()!} email={user()!.email} />
        </div>
      </Show>
    </section>
  );
}
