// An inline error under a form, announced to screen readers.
import { Show } from "solid-js";
import { messageOf } from "~/lib/problem";

export default function FormError(props: { error: unknown; id?: string }) {
  return (
    <Show when={props.error}>
      <p class="form-error" role="alert" id={props.id}>
        {messageOf(props.error)}
      </p>
    </Show>
  );
}
