// Email invitations not yet answered: address, role, when sent and until when; resend or revoke.
import { useAction, useSubmission } from "@solidjs/router";
import { For, Show } from "solid-js";
import FormError from "~/components/FormError";
import { formatDateTime } from "~/lib/format";
import { resendInvite, revokeInvite, type InviteView } from "~/lib/sharing";

export default function PendingInvites(props: { collectionId: string; invites: InviteView[] }) {
  const resend = useAction(resendInvite);
  const revoke = useAction(revokeInvite);
  const resending = useSubmission(resendInvite);
  const revoking = useSubmission(revokeInvite);
  return (
    <Show when={props.invites.length}>
      <section aria-labelledby="pending-title" class="stack">
        <h3 id="pending-title" class="section-heading">
          Pending invitations <span class="count">{props.invites.length}</span>
        </h3>
        <ul class="member-list">
          <For each={props.invites}>
            {(i) => (
              <li class="member" data-testid="pending-invite" data-email={i.email}>
                <span class="member__who">
                  <strong>{i.email}</strong>
                  <span class="member__email">
                    {i.role} · sent {formatDateTime(i.sentAt)} · {i.expired ? "expired" : `until ${formatDateTime(i.expiresAt)}`}
                  </span>
                </span>
                <button
                  type="button"
                  class="button button--ghost button--small"
                  onClick={() => void resend(props.collectionId, i.id).catch(() => {})}
                >
                  Resend
                </button>
                <button
                  type="button"
                  class="button button--quiet-danger button--small"
                  aria-label={`Revoke the invitation for ${i.email}`}
                  onClick={() => void revoke(props.collectionId, i.id).catch(() => {})}
                >
                  Revoke
                </button>
              </li>
            )}
          </For>
        </ul>
        <FormError error={resending.error ?? revoking.error} />
      </section>
    </Show>
  );
}
