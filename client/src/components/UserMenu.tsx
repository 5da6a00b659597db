// The signed-in person's menu: who they are, their account pages, sign out.
// A <details> disclosure: works before hydration and with the keyboard; once
// hydrated it also closes on a click outside it and after an item is chosen
// (the header stays on screen across client-side navigation).
import { useAction } from "@solidjs/router";
import { onCleanup, onMount } from "solid-js";
import { logOut } from "~/lib/auth";

export default function UserMenu(props: { email: string; name: string }) {
  const doLogOut = useAction(logOut);
  const initial = () => (props.name || props.email).trim().charAt(0).toUpperCase() || "?";
  let details: HTMLDetailsElement | undefined;
  const close = () => details && (details.open = false);
  const closeOnEscape = (e: KeyboardEvent) => {
    if (e.key === "Escape" && details?.open) {
      close();
      details?.querySelector("summary")?.focus();
    }
  };
  onMount(() => {
    const onDocumentClick = (e: MouseEvent) => details?.open && !details.contains(e.target as Node) && close();
    document.addEventListener("click", onDocumentClick);
    onCleanup(() => document.removeEventListener("click", onDocumentClick));
  });
  return (
    <details class="user-menu" ref={details} onKeyDown={closeOnEscape}>
      <summary class="user-menu__button" aria-label={`Account menu for ${props.email}`}>
        <span class="avatar" aria-hidden="true">
          {initial()}
        </span>
        <span class="user-menu__email">{props.email}</span>
      </summary>
      <div class="user-menu__panel">
        <p class="user-menu__who">
          Signed in as <strong>{props.email}</strong>
        </p>
        <ul>
          <li>
            <a href="/collections" onClick={close}>
              Your collections
            </a>
          </li>
          <li>
            <a href="/account/billing" onClick={close}>
              Plan & usage
            </a>
          </li>
          <li>
            <a href="/settings" onClick={close}>
              Settings
            </a>
          </li>
          <li>
            <a href="/settings/sessions" onClick={close}>
              Sessions
            </a>
          </li>
          <li>
            <a href="/account/api-keys" onClick={close}>
              API keys
            </a>
          </li>
          <li>
            <button
              type="button"
              class="link-button"
              onClick={() => {
                close();
                void doLogOut();
              }}
            >
              Log out
            </button>
          </li>
        </ul>
      </div>
    </details>
  );
}
