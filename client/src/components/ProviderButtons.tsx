// "Continue with …" links for the sign-in providers the server has configured.
import { For, Show } from "solid-js";
import type { Provider } from "~/lib/types";

export default function ProviderButtons(props: { providers: Provider[] | undefined; returnTo: string }) {
  return (
    <Show when={props.providers?.length}>
      <div class="providers">
        <For each={props.providers}>
          {(provider) => (
            <a class="button button--ghost button--block" href={`${provider.startUrl}?returnTo=${encodeURIComponent(props.returnTo)}`}>
              Continue with {provider.label}
            </a>
          )}
        </For>
        <p class="divider">
          <span>or with your email</span>
        </p>
      </div>
    </Show>
  );
}
