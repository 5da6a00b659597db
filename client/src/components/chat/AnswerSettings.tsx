// A conversation's answer settings: a line above the composer saying how
// answers are made, and a popover to change it — from the videos or from the
// model alone, how many passages, a relevance floor, the model and its
// temperature. It offers only what the server can do (GET
// /api/conversations/answer-options): without a language model, answers can
// only quote the videos, so neither "the model alone" nor a model or a
// temperature is offered. Empty fields mean the server's default.
import { createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { chatApi } from "~/lib/chatApi";
import type { AnswerOptions, AnswerSettings as Settings } from "~/lib/types";

/** A number field's value brought into [min, max] (and shown so), or null when empty: the server's default. */
function numberOf(input: HTMLInputElement, min: number, max: number, integer = false): number | null {
  const n = input.valueAsNumber;
  if (input.value.trim() === "" || !Number.isFinite(n)) {
    input.value = "";
    return null;
  }
  const bounded = Math.min(max, Math.max(min, integer ? Math.round(n) : n));
  input.value = String(bounded);
  return bounded;
}

export function describe(s: Settings, options: AnswerOptions | undefined): string {
  const parts = [s.useRag ? "From the videos" : "From the model alone"];
  if (s.useRag) parts.push(`${s.maxContextChunks ?? options?.defaults.maxContextChunks ?? "default"} passages`);
  if (s.useRag && s.minSimilarity !== null) parts.push(`floor ${s.minSimilarity}`);
  if (options && options.models.length > 1) parts.push(s.model ?? options.defaults.model ?? "");
  if (s.temperature !== null) parts.push(`temperature ${s.temperature}`);
  return parts.join(" · ");
}

export default function AnswerSettings(props: { settings: Settings; disabled?: boolean; onChange: (patch: Partial<Settings>) => void }) {
  const [open, setOpen] = createSignal(false);
  // Fetched in the browser once mounted, into a plain signal: a resource read
  // here would suspend the page around the composer (and take its focus).
  const [options, setOptions] = createSignal<AnswerOptions>();
  let root: HTMLDivElement | undefined;
  onMount(() => {
    chatApi.answerOptions().then(setOptions, () => setOptions(undefined));
    const onDocClick = (e: MouseEvent) => open() && root && !root.contains(e.target as Node) && setOpen(false);
    document.addEventListener("click", onDocClick);
    onCleanup(() => document.removeEventListener("click", onDocClick));
  });
  const llm = () => options()?.languageModel === true;
  const commit = (patch: Partial<Settings>) => {
    const changed = (Object.keys(patch) as (keyof Settings)[]).some((k) => patch[k] !== props.settings[k]);
    if (changed) props.onChange(patch);
  };

  return (
    <div
      class="answer-settings"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === "Escape" && open()) {
          e.stopPropagation();
          // A number typed but not yet committed (fields commit on change) is kept, not lost with the form.
          (document.activeElement as HTMLElement | null)?.blur();
          setOpen(false);
          root?.querySelector<HTMLButtonElement>(".answer-settings__toggle")?.focus();
        }
      }}
    >
      <span class="answer-settings__summary" data-testid="answer-settings-summary">
        {describe(props.settings, options())}
      </span>
      <button
        type="button"
        class="answer-settings__toggle chat-link"
        aria-expanded={open()}
        aria-controls="answer-settings-form"
        disabled={props.disabled}
        onClick={() => setOpen(!open())}
      >
        Answer settings
      </button>
      <Show when={open()}>
        <form id="answer-settings-form" class="answer-settings__form" aria-label="Answer settings" onSubmit={(e) => e.preventDefault()}>
          <Show when={llm()}>
            <fieldset class="answer-settings__group">
              <legend>Answer from</legend>
              <label class="answer-settings__option">
                <input type="radio" name="use-rag" checked={props.settings.useRag} onChange={() => commit({ useRag: true })} />
                <span>The videos (cited passages)</span>
              </label>
              <label class="answer-settings__option">
                <input type="radio" name="use-rag" checked={!props.settings.useRag} onChange={() => commit({ useRag: false })} />
                <span>The model alone (no passages, no citations)</span>
              </label>
            </fieldset>
          </Show>
          <label class="answer-settings__field">
            <span>Passages</span>
            <input
              type="number"
              name="max-context-chunks"
              min="1"
              max="50"
              step="1"
              disabled={!props.settings.useRag}
              placeholder={String(options()?.defaults.maxContextChunks ?? "")}
              value={props.settings.maxContextChunks ?? ""}
              onChange={(e) => commit({ maxContextChunks: numberOf(e.currentTarget, 1, 50, true) })}
            />
          </label>
          <label class="answer-settings__field">
            <span>Relevance floor (0–1)</span>
            <input
              type="number"
              name="min-similarity"
              min="0"
              max="1"
              step="0.05"
              disabled={!props.settings.useRag}
              placeholder="off"
              value={props.settings.minSimilarity ?? ""}
              onChange={(e) => commit({ minSimilarity: numberOf(e.currentTarget, 0, 1) })}
            />
          </label>
          <Show when={llm() && options()!.models.length > 1}>
            <label class="answer-settings__field">
              <span>Model</span>
              <select
                name="model"
                aria-label="Model"
                value={props.settings.model ?? options()!.defaults.model ?? ""}
                onChange={(e) => commit({ model: e.currentTarget.value === options()!.defaults.model ? null : e.currentTarget.value })}
              >
                <For each={options()!.models}>{(m) => <option value={m}>{m}</option>}</For>
              </select>
            </label>
          </Show>
          <Show when={llm()}>
            <label class="answer-settings__field">
              <span>Temperature (0–1)</span>
              <input
                type="number"
                name="temperature"
                min="0"
                max="1"
                step="0.1"
                placeholder={options()!.defaults.temperature === null ? "model's own" : String(options()!.defaults.temperature)}
                value={props.settings.temperature ?? ""}
                onChange={(e) => commit({ temperature: numberOf(e.currentTarget, 0, 1) })}
              />
            </label>
          </Show>
          <Show when={options() && !llm()}>
            <p class="answer-settings__note">No language model is set up: answers quote the passages that match best.</p>
          </Show>
          <p class="answer-settings__note">Empty fields use the server's default.</p>
        </form>
      </Show>
    </div>
  );
}
