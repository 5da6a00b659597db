// An invitation link: what it leads to, and joining. Signed out → sign in or
// sign up and come back here; the wrong account → which address it is for;
// expired, revoked or used → says so.
import { Title } from "@solidjs/meta";
import { createAsync, useAction, useParams, useSubmission, type RouteDefinition } from "@solidjs/router";
import { Match, Show, Switch } from "solid-js";
import AuthCard from "~/components/AuthCard";
import FormError from "~/components/FormError";
import { logOut } from "~/lib/auth";
import { getCurrentUser } from "~/lib/session";
import { getInvitePreview, joinWithToken, type InvitePreview } from "~/lib/sharing";
import "~/components/sharing/sharing.css";

const validToken = (token: string) => /^[A-Za-z0-9_-]{20,100}$/.test(token);

export const route = {
  preload: ({ params }) => {
    if (validToken(params.token!)) void getInvitePreview(params.token!);
    void getCurrentUser();
  },
} satisfies RouteDefinition;

const GONE: Record<Exclude<InvitePreview["status"], "open">, string> = {
  expired: "This invitation has expired. Ask the collection’s owner for a new one.",
  revoked: "This invitation was withdrawn by the collection’s owner.",
  used: "This invitation has already been used. Ask the collection’s owner for a new one.",
};

export default function InvitePage() {
  const params = useParams<{ token: string }>();
  const preview = createAsync(async () => (validToken(params.token) ? getInvitePreview(params.token) : null));
  const user = createAsync(() => getCurrentUser());
  const join = useAction(joinWithToken);
  const joining = useSubmission(joinWithToken);
  const doLogOut = useAction(logOut);
  const here = () => `/invite/${params.token}`;
  return (
    <AuthCard title="Invitation">
      <Title>Invitation — KnowledgeTree</Title>
      <Show when={preview() !== undefined && user() !== undefined}>
        <Switch>
          <Match when={preview() === null}>
            <p class="notice notice--error" role="alert">
              This invitation link is not valid. Check that you copied all of it.
            </p>
          </Match>
          <Match when={preview()!.status !== "open"}>
            <p class="notice notice--error" role="alert" data-testid="invite-gone">
              {GONE[preview()!.status as keyof typeof GONE]}
            </p>
          </Match>
          <Match when={preview()}>
            {(p) => (
              <div class="stack" data-testid="invite">
                <p>
                  <Show when={p().invitedBy} fallback="You are invited">
                    <strong>{p().invitedBy}</strong> invites you
                  </Show>{" "}
                  to <strong>{p().collectionName}</strong> as {p().role === "editor" ? "an editor" : "a viewer"}.
                </p>
                <Switch>
                  <Match when={!user()}>
                    <Show when={p().email}>
                      <p>The invitation is for {p().email}.</p>
                    </Show>
                    <div class="row">
                      <a
                        class="button"
                        href={`/signup?returnTo=${encodeURIComponent(here())}${p().email ? `&email=${encodeURIComponent(p().email!)}` : ""}`}
                      >
                        Create an account
                      </a>
                      <a class="button button--ghost" href={`/login?returnTo=${encodeURIComponent(here())}`}>
                        Sign in
                      </a>
                    </div>
                  </Match>
                  <Match when={p().email && p().email !== user()!.email}>
                    <p class="notice notice--error" role="alert" data-testid="invite-wrong-account">
                      This invitation is for <strong>{p().email}</strong>, and you are signed in as <strong>{user()!.email}</strong>. Sign
                      in with {p().email} to accept it.
                    </p>
                    <button type="button" class="button button--ghost" onClick={() => void doLogOut()}>
                      Log out
                    </button>
                  </Match>
                  <Match when={user()}>
                    <button type="button" class="button" disabled={joining.pending} onClick={() => void join(params.token).catch(() => {})}>
                      {joining.pending ? "Joining…" : "Join the collection"}
                    </button>
                    <FormError error={joining.error} />
                  </Match>
                </Switch>
              </div>
            )}
          </Match>
        </Switch>
      </Show>
    </AuthCard>
  );
}
