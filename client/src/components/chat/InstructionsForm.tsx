// A short free-text form for artifacts: custom instructions, or what should
// change when regenerating.
import { Show } from "solid-js";

export default function InstructionsForm(props: {
  id: string;
  label: string;
  rows: number;
  value: string;
  placeholder: string;
  submitLabel: string;
  submitDisabled?: boolean;
  onInput: (value: string) => void;
  onSubmit: () => void;
  onCancel?: () => void;
}) {
  return (
    <form
      class="artifact__regen"
      onKeyDown={(e) => {
        if (e.key === "Escape" && props.onCancel) {
          e.stopPropagation();
          props.onCancel();
        }
      }}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <label for={props.id}>{props.label}</label>
      <textarea
        id={props.id}
        rows={props.rows}
        maxLength={2000}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        placeholder={props.placeholder}
      />
      <div class="row-actions">
        <button type="submit" class="chat-btn chat-btn--primary chat-btn--small" disabled={props.submitDisabled}>
          {props.submitLabel}
        </button>
        <Show when={props.onCancel}>
          <button type="button" class="chat-btn chat-btn--ghost chat-btn--small" onClick={() => props.onCancel?.()}>
            Cancel
          </button>
        </Show>
      </div>
    </form>
  );
}
