// The side card of the transcript viewer: facts about the video, its
// speakers (click one to show only their lines) and the way to ask about it.
import { createSignal, For, Show } from "solid-js";
import LanguageSelect from "~/components/LanguageSelect";
import { apiJson, withJson } from "~/lib/browserApi";
import { formatClock } from "~/lib/format";
import { languageName } from "~/lib/languages";
import { messageOf } from "~/lib/problem";
import type { Video } from "~/lib/types";

const SOURCE = { youtube: "YouTube", transcript: "Subtitle file", audio: "Audio transcription" } as const;

export default function VideoDetails(props: {
  video: Video;
  lineCount: number;
  /** The most frequent speakers with their line counts. */
  speakers: [string, number][];
  filter: string;
  onFilter: (value: string) => void;
}) {
  // The language decides how full text search stems the words; detected at ingest, correctable here.
  const [language, setLanguage] = createSignal(props.video.language ?? "");
  const [editing, setEditing] = createSignal(false);
  const [saving, setSaving] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const saveLanguage = async (code: string) => {
    setSaving(true);
    setError(null);
    try {
      const video = await apiJson<Video>(`/api/videos/${props.video.id}`, withJson("PATCH", { language: code || null }));
      setLanguage(video.language ?? "");
      setEditing(false);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setSaving(false);
    }
  };
  const speakers = () => props.speakers;
  return (
    <aside class="card video-details" aria-label="About this video">
      <dl class="facts">
        <Show when={props.video.durationMs}>
          <div>
            <dt>Length</dt>
            <dd>{formatClock(props.video.durationMs)}</dd>
          </div>
        </Show>
        <div>
          <dt>Lines</dt>
          <dd>{props.lineCount.toLocaleString("en")}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>{SOURCE[props.video.sourceType]}</dd>
        </div>
        <div>
          <dt>
            <label for="video-language">Language</label>
          </dt>
          <dd>
            <Show
              when={editing()}
              fallback={
                <>
                  {language() ? languageName(language()) : "Unknown"}{" "}
                  <button type="button" class="link-button" onClick={() => setEditing(true)} aria-label="Change the language">
                    Change
                  </button>
                </>
              }
            >
              <LanguageSelect id="video-language" value={language()} onChange={saveLanguage} emptyLabel="Unknown" disabled={saving()} />
            </Show>
            <Show when={error()}>
              <p class="form-error" role="alert">
                {error()}
              </p>
            </Show>
          </dd>
        </div>
      </dl>
      <Show when={props.video.sourceFilename}>
        <p class="video-details__file" title={props.video.sourceFilename!}>
          {props.video.sourceFilename}
        </p>
      </Show>
      <Show when={speakers().length}>
        <h2 class="video-details__heading">Speakers</h2>
        <ul class="chips">
          <For each={speakers()}>
            {([name, count]) => (
              <li>
                <button
                  type="button"
                  class="chip"
                  aria-pressed={props.filter === name}
                  onClick={() => props.onFilter(props.filter === name ? "" : name)}
                >
                  {name} <span class="chip__count">{count}</span>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <a class="button button--block" href={`/collections/${props.video.collectionId}/chat?video=${encodeURIComponent(props.video.id)}`}>
        Ask about this video
      </a>
      <Show when={props.video.watchUrl}>
        <a class="video-details__watch" href={props.video.watchUrl!} target="_blank" rel="noopener noreferrer">
          Open on YouTube ↗
        </a>
      </Show>
    </aside>
  );
}
