// Which version of an artifact is shown, newest first.
import { For } from "solid-js";
import type { Artifact } from "~/lib/types";
import { formatRelative } from "~/lib/chatFormat";

export default function ArtifactVersionPicker(props: { artifact: Artifact; value: number | null; onChange: (version: number) => void }) {
  return (
    <>
      <label class="visually-hidden" for="artifact-version">
        Version
      </label>
      <select
        id="artifact-version"
        class="artifact__version"
        value={props.value ?? ""}
        onChange={(e) => props.onChange(Number(e.currentTarget.value))}
      >
        <For each={[...props.artifact.versions].sort((x, y) => y.version - x.version)}>
          {(v) => (
            <option value={v.version}>
              v{v.version} · {v.origin === "edited" ? "edited" : "generated"} · {formatRelative(v.createdAt)}
            </option>
          )}
        </For>
      </select>
    </>
  );
}
