// A language picker for transcripts: "Detect automatically" (or "Unknown"),
// then the languages full text search knows.
import { For } from "solid-js";
import { languageOptions } from "~/lib/languages";

export default function LanguageSelect(props: {
  id: string;
  value: string;
  onChange: (code: string) => void;
  emptyLabel: string;
  disabled?: boolean;
}) {
  return (
    <select
      id={props.id}
      class="input input--compact"
      value={props.value}
      disabled={props.disabled}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    >
      <option value="">{props.emptyLabel}</option>
      <For each={languageOptions(props.value || null)}>{([code, name]) => <option value={code}>{name}</option>}</For>
    </select>
  );
}
