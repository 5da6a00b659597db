// The empty conversation: what this collection can answer, as one-click questions.
// Without a language model answers quote the best passages, so the suggestions
// are questions a passage answers, never "summarise" or "compare".
import { For, Show } from "solid-js";
import { useCapabilities } from "~/lib/capabilities";

function writtenAnswerQuestions(collectionName: string, [first, second]: string[]): string[] {
  const qs = [`What are the main ideas across ${collectionName}?`];
  if (first) qs.push(`Summarise “${first}” in five bullet points.`);
  if (second) qs.push(`Where do “${first}” and “${second}” agree or disagree?`);
  qs.push("Which moments would a newcomer find most useful?");
  return qs;
}

function quotedAnswerQuestions([first, second]: string[]): string[] {
  const qs: string[] = [];
  if (first) qs.push(`Where does “${first}” explain its main point?`);
  if (second) qs.push(`Which examples does “${second}” give?`);
  qs.push("Where are the key terms defined?", "Which recommendations are made?");
  return qs;
}

export default function SuggestedQuestions(props: {
  collectionName: string;
  videoTitles: string[];
  readyCount: number;
  collectionHref: string;
  onAsk: (q: string) => void;
}) {
  const capabilities = useCapabilities();
  const quoting = () => capabilities()?.languageModel === false;
  const questions = () =>
    (quoting() ? quotedAnswerQuestions(props.videoTitles) : writtenAnswerQuestions(props.collectionName, props.videoTitles)).slice(0, 4);
  return (
    <div class="chat-empty">
      <div class="chat-empty__mark" aria-hidden="true">
        ◆
      </div>
      <h2 class="chat-empty__title">Ask {props.collectionName}</h2>
      <Show
        when={props.readyCount > 0}
        fallback={
          <p class="chat-empty__lede">
            No video in this collection is ready yet. <a href={props.collectionHref}>Add videos</a> and ask as soon as their transcripts are
            in — answers cite the exact moment.
          </p>
        }
      >
        <p class="chat-empty__lede">
          <Show
            when={quoting()}
            fallback={
              <>
                Answers come from the {props.readyCount === 1 ? "video" : `${props.readyCount} videos`} in this collection, each claim
                linked to the moment it was said.
              </>
            }
          >
            Answers quote the passages of the {props.readyCount === 1 ? "video" : `${props.readyCount} videos`} in this collection that
            match best, each linked to the moment it was said.
          </Show>
        </p>
        {/* Once the server's capabilities are known, so no suggestion it cannot answer well flashes up. */}
        <Show when={capabilities() !== undefined}>
          <ul class="suggestions" aria-label="Suggested questions">
            <For each={questions()}>
              {(q) => (
                <li>
                  <button type="button" class="suggestion" onClick={() => props.onAsk(q)}>
                    {q}
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
    </div>
  );
}
