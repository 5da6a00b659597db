// The narrow centred card that sign-in, sign-up and reset pages sit in.
import { children, Show, type JSX } from "solid-js";

export default function AuthCard(props: { title: string; lede?: JSX.Element; children: JSX.Element; footer?: JSX.Element }) {
  // Resolved once: reading a JSX prop twice (to test it, then to show it) would
  // render it twice, and hydration would look for nodes the server never sent.
  const lede = children(() => props.lede);
  const footer = children(() => props.footer);
  return (
    <section class="auth" aria-labelledby="auth-title">
      <div class="card auth__card">
        <h1 id="auth-title" class="auth__title">
          {props.title}
        </h1>
        <Show when={lede()}>
          <p class="auth__lede">{lede()}</p>
        </Show>
        {props.children}
      </div>
      <Show when={footer()}>
        <p class="auth__footer">{footer()}</p>
      </Show>
    </section>
  );
}
