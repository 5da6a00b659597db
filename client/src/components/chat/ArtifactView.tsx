// One saved Studio document at a chosen version: read it, copy it, and unless
// read-only edit it, regenerate it with instructions, or delete it. The state
// and the api calls stay in ArtifactPanel.tsx, which also shows the document
// while a regeneration writes it; this view only renders them.
import { Show } from "solid-js";
import ConfirmDialog from "~/components/ConfirmDialog";
import type { Artifact } from "~/lib/types";
import AnswerBody from "./AnswerBody";
import ArtifactEditor from "./ArtifactEditor";
import { kindLabel } from "./ArtifactList";
import ArtifactVersionPicker from "./ArtifactVersionPicker";
import InstructionsForm from "./InstructionsForm";

export default function ArtifactView(props: {
  artifact: Artifact;
  version: number | null;
  onVersion: (version: number) => void;
  /** The Markdown being edited; null: not editing. */
  editing: string | null;
  /** The instructions of a regeneration being asked for; null: none. */
  regenerating: string | null;
  confirmDelete: boolean;
  busy: boolean;
  readOnly?: boolean;
  onBack: () => void;
  onEditing: (text: string | null) => void;
  onSave: () => void;
  onRegenerating: (instructions: string | null) => void;
  onRegenerate: (instructions: string) => void;
  onConfirmDelete: (open: boolean) => void;
  onRemove: () => void;
}) {
  const shown = () => props.artifact.versions.find((v) => v.version === props.version) ?? null;

  return (
    <section class="artifact" aria-labelledby="artifact-title">
      <div class="artifact__bar">
        <button
          type="button"
          class="chat-btn chat-btn--small chat-btn--ghost"
          onClick={() => props.onBack()}
          aria-label="Back to all notes"
        >
          ← All notes
        </button>
        <ArtifactVersionPicker artifact={props.artifact} value={props.version} onChange={props.onVersion} />
      </div>
      <h3 id="artifact-title" class="artifact__title">
        {props.artifact.title || kindLabel(props.artifact.kind)}
      </h3>
      <Show
        when={props.editing === null}
        fallback={
          <ArtifactEditor
            value={props.editing!}
            busy={props.busy}
            onInput={props.onEditing}
            onSave={() => props.onSave()}
            onCancel={() => props.onEditing(null)}
          />
        }
      >
        <Show when={props.regenerating !== null}>
          <InstructionsForm
            id="regen-instructions"
            label="What should change? (optional)"
            rows={2}
            value={props.regenerating ?? ""}
            placeholder="e.g. shorter, with a table of the key numbers"
            submitLabel="Regenerate"
            onInput={props.onRegenerating}
            onSubmit={() => props.onRegenerate(props.regenerating ?? "")}
            onCancel={() => props.onRegenerating(null)}
          />
        </Show>
        <Show when={shown()?.status === "failed" || shown()?.status === "stopped"}>
          <p class="notice" classList={{ "notice--danger": shown()?.status === "failed" }} role="note">
            {shown()?.status === "failed"
              ? shown()?.error || "This version could not be completed."
              : "This version was stopped before it was finished."}
          </p>
        </Show>
        <div class="artifact__content">
          <AnswerBody content={shown()?.content ?? ""} sources={shown()?.sources ?? []} />
        </div>
        <div class="row-actions">
          <button type="button" class="icon-btn" onClick={() => void navigator.clipboard?.writeText(shown()?.content ?? "")}>
            Copy
          </button>
          <Show when={!props.readOnly}>
            <button type="button" class="icon-btn" onClick={() => props.onEditing(shown()?.content ?? "")}>
              Edit
            </button>
            <button type="button" class="icon-btn" onClick={() => props.onRegenerating("")}>
              Regenerate
            </button>
            <button type="button" class="icon-btn icon-btn--danger" onClick={() => props.onConfirmDelete(true)}>
              Delete
            </button>
          </Show>
        </div>
      </Show>
      <ConfirmDialog
        open={props.confirmDelete}
        title="Delete these notes?"
        confirmLabel="Delete"
        busy={props.busy}
        onConfirm={() => props.onRemove()}
        onCancel={() => props.onConfirmDelete(false)}
      >
        <p>
          “{props.artifact.title || kindLabel(props.artifact.kind)}” and all {props.artifact.versions.length} of its versions will be
          deleted. This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
