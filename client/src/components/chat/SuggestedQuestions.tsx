// The empty conversation: what this collection can answer, as one-click questions.
import { For, Show } from "solid-js";

export default function SuggestedQuestions(props: {
  collectionName: string;
  videoTitles: string[];
  readyCount: number;
  collectionHref: string;
  onAsk: (q: string) => void;
}) {
  const questions = () => {
    const [first, second] = props.videoTitles;
    const qs = [`What are the main ideas across ${props.collectionName}?`];
    if (first) qs.push(`Summarise “${first}” in five bullet points.`);
    if (second) qs.push(`Where do “${first}” and “${second}” agree or disagree?`);
    qs.push("Which moments would a newcomer find most useful?");
    return qs.slice(0, 4);
  };
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
          Answers come from the {props.readyCount === 1 ? "video" : `${props.readyCount} videos`} in this collection, each claim linked to
          the moment it was said.
        </p>
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
    </div>
  );
}
