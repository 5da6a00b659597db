// Create an API key; its secret is shown here once, with a copy button.
import { useSubmission } from "@solidjs/router";
import { Show } from "solid-js";
import FormError from "~/components/FormError";
import { createApiKey } from "~/lib/apiKeys";

export default function ApiKeyCreateForm() {
  const created = useSubmission(createApiKey);
  const secret = () => (created.result && !created.pending ? created.result.secret : null);
  return (
    <div class="card stack api-key-create">
      <h2 class="section-heading">New key</h2>
      <form action={createApiKey} method="post" class="form form--inline">
        <div class="field">
          <label for="api-key-name">Name</label>
          <input id="api-key-name" name="name" required maxLength={100} placeholder="Nightly export" />
        </div>
        <div class="field">
          <label for="api-key-scope">Scope</label>
          <select id="api-key-scope" name="scope">
            <option value="read">Read (look, search, watch answers)</option>
            <option value="write">Write (everything you may do)</option>
          </select>
        </div>
        <div class="field">
          <label for="api-key-expiry">Expires</label>
          <select id="api-key-expiry" name="expiresInDays">
            <option value="">Never</option>
            <option value="30">In 30 days</option>
            <option value="90">In 90 days</option>
            <option value="365">In a year</option>
          </select>
        </div>
        <button class="button" type="submit" disabled={created.pending}>
          Create key
        </button>
      </form>
      <FormError error={created.error} />
      <Show when={secret()}>
        {(s) => (
          <div class="notice notice--ok" role="status">
            <p>Copy your new key now: it will not be shown again.</p>
            <p class="row">
              <code class="secret" data-testid="api-key-secret">
                {s()}
              </code>
              <button type="button" class="button button--ghost button--small" onClick={() => void navigator.clipboard?.writeText(s())}>
                Copy
              </button>
            </p>
          </div>
        )}
      </Show>
    </div>
  );
}
