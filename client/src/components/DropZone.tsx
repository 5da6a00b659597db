// Drop subtitle files (several at once) or, when the server transcribes, an
// audio/video file, or pick them. The formats and limits named are the server's.
// Each file uploads on its own with its upload progress; a refused file shows
// the server's reason ("Line 6: …") and can be dismissed. An optional title
// names the next single file (several at once keep the names made from their
// file names, which are then renamed in the list).
import { createSignal, For, Show } from "solid-js";
import { createStore, produce } from "solid-js/store";
import LanguageSelect from "~/components/LanguageSelect";
import ProgressBar, { progressPercent } from "~/components/ProgressBar";
import { megabytes, transcriptFormatsText } from "~/lib/capabilities";
import { messageOf } from "~/lib/problem";
import type { Capabilities, Video } from "~/lib/types";
import { uploadFile } from "~/lib/uploads";

type Upload = { key: number; name: string; progress: number; error: string | null };

let nextKey = 1;

export default function DropZone(props: { collectionId: string; uploads: Capabilities["uploads"]; onAdded: (video: Video) => void }) {
  const audio = () => props.uploads.audioExtensions.length > 0;
  const accept = () =>
    [...props.uploads.transcriptExtensions, ...(audio() ? ["audio/*", "video/*", ...props.uploads.audioExtensions] : [])].join(",");
  const [dragging, setDragging] = createSignal(false);
  const [language, setLanguage] = createSignal("");
  const [title, setTitle] = createSignal("");
  const [uploads, setUploads] = createStore<Upload[]>([]);
  let input: HTMLInputElement | undefined;

  const update = (key: number, change: (u: Upload) => void) =>
    setUploads(
      produce((list) => {
        const u = list.find((x) => x.key === key);
        if (u) change(u);
      }),
    );
  const dismiss = (key: number) => setUploads((list) => list.filter((u) => u.key !== key));

  const start = (files: FileList | File[]) => {
    const list = Array.from(files);
    const named = list.length === 1 ? title().trim() : "";
    if (named) setTitle("");
    for (const file of list) {
      const key = nextKey++;
      setUploads((list) => [...list, { key, name: file.name, progress: 0, error: null }]);
      uploadFile(props.collectionId, file, (fraction) => update(key, (u) => (u.progress = fraction * 100)), {
        language: language(),
        title: named,
      })
        .then((video) => {
          dismiss(key);
          props.onAdded(video);
        })
        .catch((error) => update(key, (u) => (u.error = messageOf(error))));
    }
  };

  return (
    <div class="add-panel__files">
      <span class="add-panel__label" id="dropzone-label">
        {audio() ? "Subtitle or audio files" : "Subtitle files"}
      </span>
      <div
        class="dropzone"
        classList={{ "dropzone--active": dragging() }}
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
        }}
        onDragLeave={(e) => {
          if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          if (e.dataTransfer?.files.length) start(e.dataTransfer.files);
        }}
      >
        <svg class="dropzone__icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
          <path
            d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3"
            fill="none"
            stroke="currentColor"
            stroke-width="1.7"
            stroke-linecap="round"
            stroke-linejoin="round"
          />
        </svg>
        <p class="dropzone__text">
          Drop {audio() ? "subtitle or audio files" : "subtitle files"} here, or{" "}
          <button type="button" class="link-button" onClick={() => input?.click()}>
            choose files
          </button>
        </p>
        <p class="dropzone__hint" data-testid="dropzone-formats">
          {transcriptFormatsText(props.uploads.transcriptExtensions)}, up to {megabytes(props.uploads.transcriptMaxBytes)}
          {audio() ? `; audio or video up to ${megabytes(props.uploads.audioMaxBytes)}` : ""}. Several at once is fine.
        </p>
        <p class="dropzone__hint">
          <label for="upload-title">Title </label>
          <input
            id="upload-title"
            class="input input--compact"
            type="text"
            maxLength={300}
            placeholder="Optional — from the file name"
            value={title()}
            onInput={(e) => setTitle(e.currentTarget.value)}
          />
        </p>
        <p class="dropzone__hint">
          <label for="upload-language">Language </label>
          <LanguageSelect id="upload-language" value={language()} onChange={setLanguage} emptyLabel="Detect automatically" />
        </p>
        <input
          ref={input}
          class="visually-hidden"
          type="file"
          multiple
          accept={accept()}
          aria-labelledby="dropzone-label"
          data-testid="file-input"
          onChange={(e) => {
            const files = e.currentTarget.files;
            if (files?.length) start(Array.from(files));
            e.currentTarget.value = "";
          }}
        />
      </div>
      <Show when={uploads.length}>
        <ul class="upload-list" aria-label="Uploads" aria-live="polite">
          <For each={uploads}>
            {(upload) => (
              <li class="upload" data-failed={upload.error ? "" : undefined}>
                <div class="upload__row">
                  <span class="upload__name" title={upload.name}>
                    {upload.name}
                  </span>
                  <Show when={upload.error} fallback={<span class="upload__state">Uploading {progressPercent(upload.progress)}%</span>}>
                    <button type="button" class="link-button" onClick={() => dismiss(upload.key)} aria-label={`Dismiss ${upload.name}`}>
                      Dismiss
                    </button>
                  </Show>
                </div>
                <Show when={upload.error} fallback={<ProgressBar value={upload.progress} label={`Uploading ${upload.name}`} />}>
                  <p class="form-error" role="alert">
                    {upload.error}
                  </p>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
