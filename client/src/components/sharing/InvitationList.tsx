// Invitations to your (verified) address, shown in the app too: accept or decline.
import { useAction, useSubmission } from "@solidjs/router";
import { For, Show } from "solid-js";
import FormError from "~/components/FormError";
import { answerInvitation, type InvitationView } from "~/lib/sharing";
import "~/components/sharing/sharing.css";

export default function InvitationList(props: { invitations: InvitationView[] }) {
  const answer = useAction(answerInvitation);
  const answering = useSubmission(answerInvitation);
  return (
    <Show when={props.invitations.length}>
      <section aria-labelledby="invitations-title" class="card stack invitations">
        <h2 id="invitations-title" class="section-heading">
          Invitations <span class="count">{props.invitations.length}</span>
        </h2>
        <ul class="member-list">
          <For each={props.invitations}>
            {(i) => (
              <li class="member" data-testid="invitation">
                <span class="member__who">
                  <strong>{i.collectionName}</strong>
                  <span class="member__email">
                    {i.invitedBy ? `${i.invitedBy} invites you` : "You are invited"} as {i.role === "editor" ? "an editor" : "a viewer"}
                  </span>
                </span>
                <button
                  type="button"
                  class="button button--small"
                  disabled={answering.pending}
                  onClick={() => void answer(i.id, "accept").catch(() => {})}
                >
                  Accept
                </button>
                <button
                  type="button"
                  class="button button--ghost button--small"
                  disabled={answering.pending}
                  onClick={() => void answer(i.id, "decline").catch(() => {})}
                >
                  Decline
                </button>
              </li>
            )}
          </For>
        </ul>
        <FormError error={answering.error} />
      </section>
    </Show>
  );
}
