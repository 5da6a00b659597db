// Studio: documents made from the conversation, or from one video's transcript
// (summary, study notes, outline, FAQ, or custom instructions). They stream in like answers; each edit or
// regeneration is a new version, and older versions stay viewable.
import { createEffect, createSignal, For, Match, on, onCleanup, Show, Switch } from "solid-js";
import ConfirmDialog from "~/components/ConfirmDialog";
import { useCapabilities } from "~/lib/capabilities";
import { artifactKinds, artifactsApi, followArtifactVersion, streamArtifact, type ArtifactOf } from "~/lib/chatArtifacts";
import { messageOf } from "~/lib/problem";
import type { Artifact, ArtifactKind, ArtifactSummary } from "~/lib/types";
import { initialAnswer, TERMINAL, type AnswerState, type StreamRun } from "~/lib/chatStream";
import AnswerBody from "./AnswerBody";
import ArtifactEditor from "./ArtifactEditor";
import ArtifactList, { kindLabel } from "./ArtifactList";
import ArtifactVersionPicker from "./ArtifactVersionPicker";
import InstructionsForm from "./InstructionsForm";

/** Give `conversationId` (its notes need an answered question first) or `videoId`; `readOnly` (another member's shared conversation; a video's notes for a viewer) only lists and shows. */
export default function ArtifactPanel(props: {
  conversationId?: string | null;
  videoId?: string;
  hasAnswers?: boolean;
  readOnly?: boolean;
}) {
  const of = (): ArtifactOf | null =>
    props.videoId ? { videoId: props.videoId } : props.conversationId ? { conversationId: props.conversationId } : null;
  const ready = () => of() !== null && (Boolean(props.videoId) || Boolean(props.hasAnswers));
  const [list, setList] = createSignal<ArtifactSummary[]>([]);
  const [status, setStatus] = createSignal<"idle" | "loading" | "ready" | "error" | "unavailable">("idle");
  const [error, setError] = createSignal<string | null>(null);
  const [open, setOpen] = createSignal<Artifact | null>(null);
  const [version, setVersion] = createSignal<number | null>(null);
  const [live, setLive] = createSignal<AnswerState | null>(null);
  const [custom, setCustom] = createSignal<string | null>(null);
  const [editing, setEditing] = createSignal<string | null>(null);
  const [regenerating, setRegenerating] = createSignal<string | null>(null);
  const [confirmDelete, setConfirmDelete] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  // Without a language model the documents quote the material (see artifactKinds).
  const capabilities = useCapabilities();
  const quoting = () => capabilities()?.languageModel === false;
  let run: StreamRun | null = null;
  onCleanup(() => run?.cancel());

  const load = async () => {
    const source = of();
    if (!source) return;
    setStatus("loading");
    try {
      setList(await artifactsApi.list(source));
      setStatus("ready");
    } catch (e) {
      const s = (e as { status?: number }).status;
      setStatus(s === 404 || s === 405 ? "unavailable" : "error");
      setError(messageOf(e));
    }
  };
  createEffect(
    on(
      () => props.videoId ?? props.conversationId,
      () => {
        run?.cancel();
        setOpen(null);
        setLive(null);
        setList([]);
        void load();
      },
    ),
  );

  const openArtifact = async (id: string, atVersion?: number) => {
    setError(null);
    try {
      const a = await artifactsApi.get(id);
      setOpen(a);
      const v = atVersion ?? Math.max(...a.versions.map((x) => x.version));
      setVersion(v);
      const streaming = a.versions.find((x) => x.version === v && x.status === "streaming");
      if (streaming) attach(followArtifactVersion(id, v, onLive));
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const onLive = (s: AnswerState) => setLive(s);
  const attach = (r: StreamRun) => {
    run?.cancel();
    run = r;
    void r.done.then(async (s) => {
      if (run !== r) return;
      run = null;
      if (s.streamId && TERMINAL.has(s.status)) {
        await load();
        await openArtifact(s.streamId, s.version ?? undefined);
      }
      // The saved version shows now; a failed stream stays up with its error.
      setLive((l) => (l && s.status !== "failed" ? null : l));
    });
  };

  const generate = (kind: ArtifactKind, instructions?: string) => {
    const source = of();
    if (!source) return;
    setOpen(null);
    setCustom(null);
    setLive(initialAnswer());
    attach(streamArtifact({ kind, ...source, instructions }, onLive));
  };

  const regenerate = (instructions: string) => {
    const a = open();
    if (!a) return;
    setRegenerating(null);
    setLive(initialAnswer({ streamId: a.id }));
    attach(streamArtifact({ regenerateId: a.id, instructions }, onLive));
  };

  const stop = async () => {
    const l = live();
    if (l?.streamId && l.version !== null) await artifactsApi.stop(l.streamId, l.version).catch((e) => setError(messageOf(e)));
  };

  const save = async () => {
    const a = open();
    const text = editing();
    if (!a || text === null) return;
    setBusy(true);
    try {
      await artifactsApi.save(a.id, text);
      setEditing(null);
      await openArtifact(a.id);
      await load();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    const a = open();
    if (!a) return;
    setBusy(true);
    try {
      await artifactsApi.remove(a.id);
      setConfirmDelete(false);
      setOpen(null);
      await load();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const shown = () => open()?.versions.find((v) => v.version === version()) ?? null;
  const streaming = () => {
    const l = live();
    return l !== null && !TERMINAL.has(l.status);
  };

  return (
    <div class="studio">
      <Show when={error()}>
        <p class="notice notice--danger" role="alert">
          {error()}
        </p>
      </Show>
      <Switch>
        <Match when={!ready()}>
          <p class="panel-empty">
            Ask at least one question first: summaries, notes, outlines and FAQs are written from the conversation and its sources.
          </p>
        </Match>
        <Match when={status() === "unavailable"}>
          <p class="panel-empty">Notes are not available on this server yet.</p>
        </Match>
        <Match when={live()}>
          {(l) => (
            <section class="artifact" aria-busy={streaming()}>
              <div class="artifact__bar">
                <span class="badge">
                  {streaming()
                    ? l().status === "reconnecting"
                      ? "Reconnecting…"
                      : "Writing…"
                    : l().status === "failed"
                      ? "Failed"
                      : "Stopped"}
                </span>
                <Show
                  when={streaming()}
                  fallback={
                    <button type="button" class="chat-btn chat-btn--small chat-btn--ghost" onClick={() => setLive(null)}>
                      Close
                    </button>
                  }
                >
                  <button type="button" class="chat-btn chat-btn--small" onClick={() => void stop()}>
                    Stop
                  </button>
                </Show>
              </div>
              <Show when={l().error}>
                <p class="notice notice--danger" role="alert">
                  <strong>{l().error!.title}.</strong> {l().error!.detail}
                </p>
              </Show>
              <Show
                when={l().content}
                fallback={<p class="msg__thinking">{props.videoId ? "Reading the transcript…" : "Reading the conversation…"}</p>}
              >
                <AnswerBody content={l().content} sources={l().sources} streaming={streaming()} />
              </Show>
            </section>
          )}
        </Match>
        <Match when={open()}>
          {(a) => (
            <section class="artifact" aria-labelledby="artifact-title">
              <div class="artifact__bar">
                <button
                  type="button"
                  class="chat-btn chat-btn--small chat-btn--ghost"
                  onClick={() => (setOpen(null), setEditing(null))}
                  aria-label="Back to all notes"
                >
                  ← All notes
                </button>
                <ArtifactVersionPicker artifact={a()} value={version()} onChange={setVersion} />
              </div>
              <h3 id="artifact-title" class="artifact__title">
                {a().title || kindLabel(a().kind)}
              </h3>
              <Show
                when={editing() === null}
                fallback={
                  <ArtifactEditor
                    value={editing()!}
                    busy={busy()}
                    onInput={setEditing}
                    onSave={() => void save()}
                    onCancel={() => setEditing(null)}
                  />
                }
              >
                <Show when={regenerating() !== null}>
                  <InstructionsForm
                    id="regen-instructions"
                    label="What should change? (optional)"
                    rows={2}
                    value={regenerating() ?? ""}
                    placeholder="e.g. shorter, with a table of the key numbers"
                    submitLabel="Regenerate"
                    onInput={setRegenerating}
                    onSubmit={() => regenerate(regenerating() ?? "")}
                    onCancel={() => setRegenerating(null)}
                  />
                </Show>
                <Show when={shown()?.status === "failed" || shown()?.status === "stopped"}>
                  <p class="notice" classList={{ "notice--danger": shown()?.status === "failed" }} role="note">
                    {shown()?.status === "failed"
                      ? shown()?.error || "This version could not be completed."
                      : "This version was stopped before it was finished."}
                  </p>
                </Show>
                <div class="artifact__content">
                  <AnswerBody content={shown()?.content ?? ""} sources={shown()?.sources ?? []} />
                </div>
                <div class="row-actions">
                  <button type="button" class="icon-btn" onClick={() => void navigator.clipboard?.writeText(shown()?.content ?? "")}>
                    Copy
                  </button>
                  <Show when={!props.readOnly}>
                    <button type="button" class="icon-btn" onClick={() => setEditing(shown()?.content ?? "")}>
                      Edit
                    </button>
                    <button type="button" class="icon-btn" onClick={() => setRegenerating("")}>
                      Regenerate
                    </button>
                    <button type="button" class="icon-btn icon-btn--danger" onClick={() => setConfirmDelete(true)}>
                      Delete
                    </button>
                  </Show>
                </div>
              </Show>
              <ConfirmDialog
                open={confirmDelete()}
                title="Delete these notes?"
                confirmLabel="Delete"
                busy={busy()}
                onConfirm={() => void remove()}
                onCancel={() => setConfirmDelete(false)}
              >
                <p>
                  “{a().title || kindLabel(a().kind)}” and all {a().versions.length} of its versions will be deleted. This cannot be undone.
                </p>
              </ConfirmDialog>
            </section>
          )}
        </Match>
        <Match when={true}>
          <Show when={!props.readOnly}>
            <h3 class="panel-subtitle">{props.videoId ? "Create from this video" : "Create from this conversation"}</h3>
            <Show when={quoting()}>
              <p class="panel-note" role="note">
                No language model on this server: documents are built from the key sentences of the material, quoted.
              </p>
            </Show>
            <div class="kinds" aria-busy={capabilities() === undefined}>
              <For each={capabilities() === undefined ? [] : artifactKinds(!quoting())}>
                {(k) => (
                  <button
                    type="button"
                    class="kind"
                    aria-pressed={k.kind === "custom" ? custom() !== null : undefined}
                    onClick={() => (k.kind === "custom" ? setCustom(custom() === null ? "" : null) : generate(k.kind))}
                  >
                    <span class="kind__label">{k.label}</span>
                    <span class="kind__hint">{k.hint}</span>
                  </button>
                )}
              </For>
            </div>
            <Show when={custom() !== null}>
              <InstructionsForm
                id="custom-instructions"
                label="Instructions"
                rows={3}
                value={custom() ?? ""}
                placeholder="e.g. A one-page cheat sheet of every formula mentioned, with timestamps"
                submitLabel="Generate"
                submitDisabled={!custom()?.trim()}
                onInput={setCustom}
                onSubmit={() => {
                  if (custom()?.trim()) generate("custom", custom()!.trim());
                }}
              />
            </Show>
          </Show>
          <h3 class="panel-subtitle">Saved notes</h3>
          <Switch>
            <Match when={status() === "loading"}>
              <p class="panel-empty">Loading…</p>
            </Match>
            <Match when={status() === "error"}>
              <div class="panel-empty" role="alert">
                <p>{error()}</p>
                <button type="button" class="chat-btn chat-btn--small" onClick={() => void load()}>
                  Try again
                </button>
              </div>
            </Match>
            <Match when={!list().length}>
              <p class="panel-empty">
                {props.readOnly
                  ? `No notes have been made from this ${props.videoId ? "video" : "conversation"}.`
                  : "Nothing yet. Pick one above — it is saved here, with every version."}
              </p>
            </Match>
            <Match when={true}>
              <ArtifactList items={list()} onOpen={(id) => void openArtifact(id)} />
            </Match>
          </Switch>
        </Match>
      </Switch>
    </div>
  );
}
