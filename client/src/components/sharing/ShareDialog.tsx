// The share dialog of a collection. The owner adds people by email with a
// role, sees pending invitations (resend/revoke), makes links, changes roles,
// removes members, hands over ownership and reads the activity log. Editors
// and viewers see the members read-only and can leave.
import { createAsync } from "@solidjs/router";
import { createEffect, Show } from "solid-js";
import ActivityLog from "~/components/sharing/ActivityLog";
import InviteForm from "~/components/sharing/InviteForm";
import InviteLinks from "~/components/sharing/InviteLinks";
import MemberList from "~/components/sharing/MemberList";
import PendingInvites from "~/components/sharing/PendingInvites";
import { getMembers, getOwnerSharing } from "~/lib/sharing";
import type { Collection } from "~/lib/types";
import "~/components/sharing/sharing.css";

export default function ShareDialog(props: { collection: Collection; open: boolean; onClose: () => void }) {
  let dialog: HTMLDialogElement | undefined;
  const isOwner = () => props.collection.role === "owner";
  const members = createAsync(() => (props.open ? getMembers(props.collection.id) : Promise.resolve(undefined)));
  const owned = createAsync(() => (props.open && isOwner() ? getOwnerSharing(props.collection.id) : Promise.resolve(undefined)));
  createEffect(() => {
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    else if (!props.open && dialog.open) dialog.close();
  });
  return (
    <dialog ref={dialog} class="dialog share-dialog" aria-labelledby="share-title" onClose={() => props.open && props.onClose()}>
      <header class="share-dialog__header">
        <h2 id="share-title" class="dialog__title">
          {isOwner() ? `Share “${props.collection.name}”` : `People in “${props.collection.name}”`}
        </h2>
        <button type="button" class="button button--ghost button--small" onClick={() => props.onClose()}>
          Close
        </button>
      </header>
      <div class="dialog__body stack">
        <Show when={isOwner()}>
          <InviteForm collectionId={props.collection.id} />
        </Show>
        <Show when={members()}>{(list) => <MemberList collection={props.collection} members={list()} />}</Show>
        <Show when={owned()}>
          {(o) => (
            <>
              <PendingInvites collectionId={props.collection.id} invites={o().invites} />
              <InviteLinks collectionId={props.collection.id} links={o().links} />
              <ActivityLog items={o().activity} />
            </>
          )}
        </Show>
      </div>
    </dialog>
  );
}
