// Invitation links: make one for a role with an optional expiry and number of
// uses (its URL is shown once, to copy), see the others' uses, revoke.
import { useAction, useSubmission } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import FormError from "~/components/FormError";
import { formatDateTime } from "~/lib/format";
import { createLink, revokeLink, type GrantableRole, type LinkView } from "~/lib/sharing";

const STATUS: Record<LinkView["status"], string> = { active: "active", expired: "expired", used_up: "used up" };

export default function InviteLinks(props: { collectionId: string; links: LinkView[] }) {
  const make = useAction(createLink);
  const making = useSubmission(createLink);
  const revoke = useAction(revokeLink);
  const revoking = useSubmission(revokeLink);
  const [url, setUrl] = createSignal<string | null>(null);
  const onSubmit = async (e: SubmitEvent) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const days = Number(data.get("expiresInDays") || 0);
    const uses = Number(data.get("maxUses") || 0);
    try {
      const link = await make(props.collectionId, {
        role: data.get("role") as GrantableRole,
        ...(days > 0 ? { expiresInDays: days } : {}),
        ...(uses > 0 ? { maxUses: uses } : {}),
      });
      setUrl(link.url);
      await navigator.clipboard?.writeText(link.url).catch(() => {});
    } catch {
      setUrl(null);
    }
  };
  return (
    <section aria-labelledby="links-title" class="stack">
      <h3 id="links-title" class="section-heading">
        Invitation links
      </h3>
      <form class="row share-link-form" onSubmit={onSubmit} aria-label="Make an invitation link">
        <label for="link-role">Anyone with the link joins as</label>
        <select id="link-role" name="role">
          <option value="viewer">Viewer</option>
          <option value="editor">Editor</option>
        </select>
        <label for="link-expiry">for</label>
        <select id="link-expiry" name="expiresInDays">
          <option value="7">7 days</option>
          <option value="30">30 days</option>
          <option value="">no limit</option>
        </select>
        <label for="link-uses">uses</label>
        <input id="link-uses" name="maxUses" type="number" min="1" max="10000" placeholder="any" class="input--narrow" />
        <button class="button button--ghost" type="submit" disabled={making.pending}>
          Copy link
        </button>
      </form>
      <Show when={url()}>
        {(u) => (
          <p class="notice notice--ok" role="status">
            Copied. Shown this once: <code data-testid="invite-link-url">{u()}</code>
          </p>
        )}
      </Show>
      <FormError error={making.error ?? revoking.error} />
      <Show when={props.links.length}>
        <ul class="member-list">
          <For each={props.links}>
            {(l) => (
              <li class="member" data-testid="invite-link">
                <span class="member__who">
                  <strong>
                    {l.role} link · {STATUS[l.status]}
                  </strong>
                  <span class="member__email">
                    made {formatDateTime(l.createdAt)} · {l.useCount}
                    {l.maxUses ? ` of ${l.maxUses}` : ""} used · {l.expiresAt ? `until ${formatDateTime(l.expiresAt)}` : "no expiry"}
                  </span>
                </span>
                <button
                  type="button"
                  class="button button--quiet-danger button--small"
                  onClick={() => void revoke(props.collectionId, l.id).catch(() => {})}
                >
                  Revoke
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
