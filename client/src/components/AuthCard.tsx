// The narrow centred card that sign-in, sign-up and reset pages sit in.
import type { JSX } from "solid-js";

export default function AuthCard(props: { title: string; lede?: JSX.Element; children: JSX.Element; footer?: JSX.Element }) {
  return (
    <section class="auth" aria-labelledby="auth-title">
      <div class="card auth__card">
        <h1 id="auth-title" class="auth__title">
          {props.title}
        </h1>
        {props.lede && <p class="auth__lede">{props.lede}</p>}
        {props.children}
      </div>
      {props.footer && <p class="auth__footer">{props.footer}</p>}
    </section>
  );
}
