// Invite people by email with a role; each address gets a single-use link.
import { useAction, useSubmission } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import FormError from "~/components/FormError";
import { inviteByEmail, type GrantableRole } from "~/lib/sharing";

export default function InviteForm(props: { collectionId: string }) {
  const invite = useAction(inviteByEmail);
  const sending = useSubmission(inviteByEmail);
  const [note, setNote] = createSignal("");
  const onSubmit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const emails = String(data.get("emails") ?? "")
      .split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (emails.length === 0) return;
    try {
      const result = await invite(props.collectionId, emails, data.get("role") as GrantableRole);
      const already = result.alreadyMembers.length ? ` (${result.alreadyMembers.join(", ")} already in it)` : "";
      setNote(`Invitation sent to ${result.invites.length} ${result.invites.length === 1 ? "address" : "addresses"}${already}.`);
      form.reset();
    } catch {
      setNote("");
    }
  };
  return (
    <form class="form share-invite" onSubmit={onSubmit} aria-label="Invite people">
      <div class="field">
        <label for="invite-emails">Add people by email</label>
        <input id="invite-emails" name="emails" type="text" inputmode="email" placeholder="ada@example.com, grace@example.com" required />
      </div>
      <div class="row">
        <label class="visually-hidden" for="invite-role">
          Role
        </label>
        <select id="invite-role" name="role">
          <option value="viewer">Viewer</option>
          <option value="editor">Editor</option>
        </select>
        <button class="button" type="submit" disabled={sending.pending}>
          {sending.pending ? "Sending…" : "Send invitations"}
        </button>
      </div>
      <Show when={note()}>
        <p class="notice notice--ok" role="status">
          {note()}
        </p>
      </Show>
      <FormError error={sending.error} />
    </form>
  );
}
