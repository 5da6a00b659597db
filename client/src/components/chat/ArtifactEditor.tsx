// Editing an artifact's Markdown; saving makes a new version, Escape cancels.
export default function ArtifactEditor(props: {
  value: string;
  busy: boolean;
  onInput: (value: string) => void;
  onSave: () => void;
  onCancel: () => void;
}) {
  return (
    <div
      class="artifact__edit"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          props.onCancel();
        }
      }}
    >
      <label class="visually-hidden" for="artifact-editor">
        Edit the Markdown
      </label>
      <textarea id="artifact-editor" class="artifact__editor" value={props.value} onInput={(e) => props.onInput(e.currentTarget.value)} />
      <div class="row-actions">
        <button type="button" class="chat-btn chat-btn--primary chat-btn--small" disabled={props.busy} onClick={() => props.onSave()}>
          {props.busy ? "Saving…" : "Save as new version"}
        </button>
        <button type="button" class="chat-btn chat-btn--ghost chat-btn--small" onClick={() => props.onCancel()}>
          Cancel
        </button>
      </div>
    </div>
  );
}
