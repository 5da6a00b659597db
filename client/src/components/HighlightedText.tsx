// Text with the matches of a query wrapped in <mark>, built as nodes (never
// innerHTML), so transcript text can never become markup.
import { For, Show } from "solid-js";

function parts(text: string, query: string): { text: string; match: boolean }[] {
  const q = query.trim().toLowerCase();
  if (!q) return [{ text, match: false }];
  const out: { text: string; match: boolean }[] = [];
  const lower = text.toLowerCase();
  let from = 0;
  for (let i = lower.indexOf(q); i >= 0; i = lower.indexOf(q, i + q.length)) {
    if (i > from) out.push({ text: text.slice(from, i), match: false });
    out.push({ text: text.slice(i, i + q.length), match: true });
    from = i + q.length;
  }
  if (from < text.length) out.push({ text: text.slice(from), match: false });
  return out;
}

export default function HighlightedText(props: { text: string; query: string }) {
  return (
    <Show when={props.query.trim()} fallback={props.text}>
      <For each={parts(props.text, props.query)}>{(part) => (part.match ? <mark>{part.text}</mark> : part.text)}</For>
    </Show>
  );
}
