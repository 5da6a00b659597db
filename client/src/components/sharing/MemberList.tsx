// The members of a collection. The owner changes roles, removes people and
// hands over ownership (to an editor); everyone else reads the list and may leave.
import { useAction, useSubmission } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import ConfirmDialog from "~/components/ConfirmDialog";
import FormError from "~/components/FormError";
import { changeRole, leaveCollection, removeMember, transferOwnership, type GrantableRole, type MemberView } from "~/lib/sharing";
import type { Collection } from "~/lib/types";

export default function MemberList(props: { collection: Collection; members: MemberView[] }) {
  const isOwner = () => props.collection.role === "owner";
  const setRole = useAction(changeRole);
  const remove = useAction(removeMember);
  const transfer = useAction(transferOwnership);
  const leave = useAction(leaveCollection);
  const errors = [useSubmission(changeRole), useSubmission(removeMember), useSubmission(transferOwnership), useSubmission(leaveCollection)];
  const [handingTo, setHandingTo] = createSignal<MemberView | null>(null);
  const [leaving, setLeaving] = createSignal(false);
  const id = props.collection.id;
  return (
    <section aria-labelledby="members-title" class="stack">
      <h3 id="members-title" class="section-heading">
        Members <span class="count">{props.members.length}</span>
      </h3>
      <ul class="member-list">
        <For each={props.members}>
          {(m) => (
            <li class="member" data-testid="member" data-email={m.email}>
              <span class="member__who">
                <strong>{m.displayName || m.email}</strong>
                <span class="member__email">{m.email}</span>
              </span>
              <Show when={isOwner() && m.role !== "owner"} fallback={<span class="badge">{m.role}</span>}>
                <label class="visually-hidden" for={`role-${m.userId}`}>
                  Role of {m.email}
                </label>
                <select
                  id={`role-${m.userId}`}
                  value={m.role}
                  onChange={(e) => void setRole(id, m.userId, e.currentTarget.value as GrantableRole).catch(() => {})}
                >
                  <option value="viewer">Viewer</option>
                  <option value="editor">Editor</option>
                </select>
                <Show when={m.role === "editor"}>
                  <button type="button" class="button button--ghost button--small" onClick={() => setHandingTo(m)}>
                    Make owner
                  </button>
                </Show>
                <button
                  type="button"
                  class="button button--quiet-danger button--small"
                  aria-label={`Remove ${m.email}`}
                  onClick={() => void remove(id, m.userId).catch(() => {})}
                >
                  Remove
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <For each={errors}>{(s) => <FormError error={s.error} />}</For>
      <Show when={!isOwner()}>
        <div>
          <button type="button" class="button button--quiet-danger" onClick={() => setLeaving(true)}>
            Leave this collection
          </button>
        </div>
      </Show>
      <ConfirmDialog
        open={handingTo() !== null}
        title="Make them the owner?"
        confirmLabel="Make owner"
        onCancel={() => setHandingTo(null)}
        onConfirm={() => void transfer(id, handingTo()!.userId).catch(() => setHandingTo(null))}
      >
        <p>{handingTo()?.email} becomes the owner at once, and you become an editor. Only the new owner can give it back.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={leaving()}
        title="Leave this collection?"
        confirmLabel="Leave"
        onCancel={() => setLeaving(false)}
        onConfirm={() => void leave(id).catch(() => setLeaving(false))}
      >
        <p>You lose access at once. To come back, you need a new invitation.</p>
      </ConfirmDialog>
    </section>
  );
}
