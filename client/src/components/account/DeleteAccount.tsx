// Settings → delete the account: says what goes (collections it owns, with the
// members who lose them; its conversations and notes elsewhere), asks for the
// password (or the address, for accounts without one), and is not offered
// while a paid plan renews.
import { useAction, useSubmission } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import ConfirmDialog from "~/components/ConfirmDialog";
import FormError from "~/components/FormError";
import { deleteAccount } from "~/lib/auth";
import type { DeletionSummary } from "~/lib/types";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export default function DeleteAccount(props: { summary: DeletionSummary; email: string }) {
  const remove = useAction(deleteAccount);
  const removing = useSubmission(deleteAccount);
  const [open, setOpen] = createSignal(false);
  const [proof, setProof] = createSignal("");
  const confirm = () => void remove(props.summary.hasPassword ? { password: proof() } : { email: proof() }).catch(() => {});
  return (
    <section class="card stack account-delete" aria-labelledby="delete-title">
      <h2 id="delete-title" class="section-heading">
        Delete account
      </h2>
      <Show
        when={!props.summary.renewingSubscription}
        fallback={
          <p class="notice notice--warn" role="note">
            Your paid plan renews automatically. Cancel it under <a href="/account/billing">Plan &amp; usage</a> first — it stays until the
            end of the period — then delete the account here.
          </p>
        }
      >
        <p>Deleting your account cannot be undone. It deletes, at once:</p>
        <ul data-testid="deletion-summary">
          <For each={props.summary.ownedCollections}>
            {(c) => (
              <li>
                The collection “{c.name}” with its {plural(c.videoCount, "video", "videos")}, transcripts, conversations and notes
                <Show when={c.otherMembers > 0}>
                  {" "}
                  — {plural(c.otherMembers, "other member loses", "other members lose")} it (transfer the ownership first to keep it for
                  them)
                </Show>
              </li>
            )}
          </For>
          <Show when={props.summary.memberOf.length}>
            <li>
              Your conversations and notes in {plural(props.summary.memberOf.length, "collection", "collections")} shared with you (
              {props.summary.memberOf.map((c) => `“${c.name}”`).join(", ")}); videos you added there stay
            </li>
          </Show>
          <li>Your sessions, API keys, usage and billing records</li>
        </ul>
        <p>
          <button type="button" class="button button--danger" onClick={() => setOpen(true)}>
            Delete my account…
          </button>
        </p>
      </Show>
      <ConfirmDialog
        open={open()}
        title="Delete your account?"
        confirmLabel="Delete everything"
        busy={removing.pending}
        onConfirm={confirm}
        onCancel={() => (setOpen(false), setProof(""), removing.clear())}
      >
        <p>Everything listed on the page goes, now. This cannot be undone.</p>
        <div class="field">
          <label for="delete-proof">{props.summary.hasPassword ? "Your password" : `Type ${props.email} to confirm`}</label>
          <input
            id="delete-proof"
            type={props.summary.hasPassword ? "password" : "email"}
            autocomplete={props.summary.hasPassword ? "current-password" : "off"}
            value={proof()}
            onInput={(e) => setProof(e.currentTarget.value)}
          />
        </div>
        <FormError error={removing.error} />
      </ConfirmDialog>
    </section>
  );
}
