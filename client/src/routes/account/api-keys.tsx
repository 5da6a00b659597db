// Account → API keys: create one (its secret is shown once), see when each was
// last used, revoke.
import { Title } from "@solidjs/meta";
import { createAsync, type RouteDefinition } from "@solidjs/router";
import { Show } from "solid-js";
import ApiKeyCreateForm from "~/components/account/ApiKeyCreateForm";
import ApiKeyList from "~/components/account/ApiKeyList";
import { getApiKeys } from "~/lib/apiKeys";
import "~/components/sharing/sharing.css";

export const route = { preload: () => getApiKeys() } satisfies RouteDefinition;

export default function ApiKeysPage() {
  const keys = createAsync(() => getApiKeys());
  return (
    <section class="container page" aria-labelledby="api-keys-title">
      <Title>API keys — KnowledgeTree</Title>
      <header class="page__header">
        <div>
          <h1 id="api-keys-title">API keys</h1>
          <p class="page__lede">
            For scripts: send a key as <code>Authorization: Bearer kt_…</code>. It acts as you, limited to its scope, and never manages your
            account.
          </p>
        </div>
      </header>
      <div class="stack">
        <ApiKeyCreateForm />
        <Show when={keys()}>{(list) => <ApiKeyList keys={list()} />}</Show>
      </div>
    </section>
  );
}
