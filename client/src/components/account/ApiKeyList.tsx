// Your API keys: name, the start of the secret, scope, when made and last used,
// expiry; revoke stops a key at once.
import { useAction, useSubmission } from "@solidjs/router";
import { For, Show } from "solid-js";
import FormError from "~/components/FormError";
import { revokeApiKey, type ApiKeyView } from "~/lib/apiKeys";
import { formatDateTime } from "~/lib/format";

export default function ApiKeyList(props: { keys: ApiKeyView[] }) {
  const revoke = useAction(revokeApiKey);
  const revoking = useSubmission(revokeApiKey);
  return (
    <Show when={props.keys.length} fallback={<p class="muted">No keys yet.</p>}>
      <ul class="session-list">
        <For each={props.keys}>
          {(key) => (
            <li class="card session" data-testid="api-key">
              <div class="session__main">
                <p class="session__device">
                  {key.name} <span class="badge">{key.scope}</span>
                  <Show when={key.expired}>
                    <span class="badge badge--danger">expired</span>
                  </Show>
                </p>
                <p class="session__meta">
                  <code>{key.prefix}…</code>
                  <span>Created {formatDateTime(key.createdAt)}</span>
                  <span>{key.lastUsedAt ? `Last used ${formatDateTime(key.lastUsedAt)}` : "Never used"}</span>
                  <span>{key.expiresAt ? `Expires ${formatDateTime(key.expiresAt)}` : "Does not expire"}</span>
                </p>
              </div>
              <button
                type="button"
                class="button button--quiet-danger button--small"
                aria-label={`Revoke ${key.name}`}
                disabled={revoking.pending && revoking.input?.[0] === key.id}
                onClick={() => void revoke(key.id).catch(() => {})}
              >
                Revoke
              </button>
            </li>
          )}
        </For>
      </ul>
      <FormError error={revoking.error} />
    </Show>
  );
}
