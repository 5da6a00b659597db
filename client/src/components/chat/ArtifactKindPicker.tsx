// The Studio's "Create from …" choices: one button per kind of document, and
// for "Custom" a form for the instructions.
import { For, Show } from "solid-js";
import { artifactKinds } from "~/lib/chatArtifacts";
import type { ArtifactKind, Capabilities } from "~/lib/types";
import InstructionsForm from "./InstructionsForm";

export default function ArtifactKindPicker(props: {
  videoId?: string;
  /** Undefined until read (the kinds wait for it); see useCapabilities. */
  capabilities: Capabilities | null | undefined;
  /** The custom instructions being written; null: the form is closed. */
  custom: string | null;
  onCustom: (instructions: string | null) => void;
  onGenerate: (kind: ArtifactKind, instructions?: string) => void;
}) {
  // Without a language model the documents quote the material (see artifactKinds).
  const quoting = () => props.capabilities?.languageModel === false;

  return (
    <>
      <h3 class="panel-subtitle">{props.videoId ? "Create from this video" : "Create from this conversation"}</h3>
      <Show when={quoting()}>
        <p class="panel-note" role="note">
          No language model on this server: documents are built from the key sentences of the material, quoted.
        </p>
      </Show>
      <div class="kinds" aria-busy={props.capabilities === undefined}>
        <For each={props.capabilities === undefined ? [] : artifactKinds(!quoting())}>
          {(k) => (
            <button
              type="button"
              class="kind"
              aria-pressed={k.kind === "custom" ? props.custom !== null : undefined}
              onClick={() => (k.kind === "custom" ? props.onCustom(props.custom === null ? "" : null) : props.onGenerate(k.kind))}
            >
              <span class="kind__label">{k.label}</span>
              <span class="kind__hint">{k.hint}</span>
            </button>
          )}
        </For>
      </div>
      <Show when={props.custom !== null}>
        <InstructionsForm
          id="custom-instructions"
          label="Instructions"
          rows={3}
          value={props.custom ?? ""}
          placeholder="e.g. A one-page cheat sheet of every formula mentioned, with timestamps"
          submitLabel="Generate"
          submitDisabled={!props.custom?.trim()}
          onInput={props.onCustom}
          onSubmit={() => {
            if (props.custom?.trim()) props.onGenerate("custom", props.custom!.trim());
          }}
        />
      </Show>
    </>
  );
}
