// A modal confirmation on the native <dialog>: focus is trapped and returned,
// Escape cancels, and the safe choice has focus first.
import { createEffect, type JSX } from "solid-js";

export default function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: JSX.Element;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  let dialog: HTMLDialogElement | undefined;
  let cancel: HTMLButtonElement | undefined;
  createEffect(() => {
    if (!dialog) return;
    if (props.open && !dialog.open) {
      dialog.showModal();
      cancel?.focus();
    } else if (!props.open && dialog.open) dialog.close();
  });
  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="dialog-title" onClose={() => props.open && props.onCancel()}>
      <h2 id="dialog-title" class="dialog__title">
        {props.title}
      </h2>
      <div class="dialog__body">{props.children}</div>
      <div class="dialog__actions">
        <button ref={cancel} type="button" class="button button--ghost" onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button type="button" class="button button--danger" disabled={props.busy} onClick={() => props.onConfirm()}>
          {props.busy ? "Working…" : props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
