// Studio: documents made from the conversation, or from one video's transcript
// (summary, study notes, outline, FAQ, or custom instructions). They stream in like answers; each edit or
// regeneration is a new version, and older versions stay viewable.
import { createEffect, createSignal, For, Match, on, onCleanup, Show, Switch } from "solid-js";
import ConfirmDialog from "~/components/ConfirmDialog";
import { ARTIFACT_KINDS, artifactsApi, followArtifactVersion, streamArtifact, type Artifact, type ArtifactKind, type ArtifactOf, type ArtifactSummary } from "~/lib/chatArtifacts";
import { formatRelative } from "~/lib/chatFormat";
import { initialAnswer, TERMINAL, type AnswerState, type StreamRun } from "~/lib/chatStream";
import AnswerBody from "./AnswerBody";

const kindLabel = (k: ArtifactKind) => ARTIFACT_KINDS.find((x) => x.kind === k)?.label ?? k;
const messageOf = (e: unknown) => (e instanceof Error && e.message ? e.message : "Something went wrong. Try again.");

/** Give `conversationId` (its notes need an answered question first) or `videoId`. */
export default function ArtifactPanel(props: { conversationId?: string | null; videoId?: string; hasAnswers?: boolean }) {
  const of = (): ArtifactOf | null => (props.videoId ? { videoId: props.videoId } : props.conversationId ? { conversationId: props.conversationId } : null);
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
          <p class="panel-empty">Ask at least one question first: summaries, notes, outlines and FAQs are written from the conversation and its sources.</p>
        </Match>
        <Match when={status() === "unavailable"}>
          <p class="panel-empty">Notes are not available on this server yet.</p>
        </Match>
        <Match when={live()}>
          {(l) => (
            <section class="artifact" aria-busy={streaming()}>
              <div class="artifact__bar">
                <span class="badge">{streaming() ? (l().status === "reconnecting" ? "Reconnecting…" : "Writing…") : l().status === "failed" ? "Failed" : "Stopped"}</span>
                <Show when={streaming()} fallback={<button type="button" class="chat-btn chat-btn--small chat-btn--ghost" onClick={() => setLive(null)}>Close</button>}>
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
              <Show when={l().content} fallback={<p class="msg__thinking">{props.videoId ? "Reading the transcript…" : "Reading the conversation…"}</p>}>
                <AnswerBody content={l().content} sources={l().sources} streaming={streaming()} />
              </Show>
            </section>
          )}
        </Match>
        <Match when={open()}>
          {(a) => (
            <section class="artifact" aria-labelledby="artifact-title">
              <div class="artifact__bar">
                <button type="button" class="chat-btn chat-btn--small chat-btn--ghost" onClick={() => (setOpen(null), setEditing(null))} aria-label="Back to all notes">
                  ← All notes
                </button>
                <label class="visually-hidden" for="artifact-version">
                  Version
                </label>
                <select id="artifact-version" class="artifact__version" value={version() ?? ""} onChange={(e) => setVersion(Number(e.currentTarget.value))}>
                  <For each={[...a().versions].sort((x, y) => y.version - x.version)}>
                    {(v) => (
                      <option value={v.version}>
                        v{v.version} · {v.origin === "edited" ? "edited" : "generated"} · {formatRelative(v.createdAt)}
                      </option>
                    )}
                  </For>
                </select>
              </div>
              <h3 id="artifact-title" class="artifact__title">
                {a().title || kindLabel(a().kind)}
              </h3>
              <Show
                when={editing() === null}
                fallback={
                  <div class="artifact__edit">
                    <label class="visually-hidden" for="artifact-editor">
                      Edit the Markdown
                    </label>
                    <textarea id="artifact-editor" class="artifact__editor" value={editing()!} onInput={(e) => setEditing(e.currentTarget.value)} />
                    <div class="row-actions">
                      <button type="button" class="chat-btn chat-btn--primary chat-btn--small" disabled={busy()} onClick={() => void save()}>
                        {busy() ? "Saving…" : "Save as new version"}
                      </button>
                      <button type="button" class="chat-btn chat-btn--ghost chat-btn--small" onClick={() => setEditing(null)}>
                        Cancel
                      </button>
                    </div>
                  </div>
                }
              >
                <Show when={regenerating() !== null}>
                  <form
                    class="artifact__regen"
                    onSubmit={(e) => {
                      e.preventDefault();
                      regenerate(regenerating() ?? "");
                    }}
                  >
                    <label for="regen-instructions">What should change? (optional)</label>
                    <textarea id="regen-instructions" rows="2" maxLength={2000} value={regenerating() ?? ""} onInput={(e) => setRegenerating(e.currentTarget.value)} placeholder="e.g. shorter, with a table of the key numbers" />
                    <div class="row-actions">
                      <button type="submit" class="chat-btn chat-btn--primary chat-btn--small">
                        Regenerate
                      </button>
                      <button type="button" class="chat-btn chat-btn--ghost chat-btn--small" onClick={() => setRegenerating(null)}>
                        Cancel
                      </button>
                    </div>
                  </form>
                </Show>
                <Show when={shown()?.status === "failed" || shown()?.status === "stopped"}>
                  <p class="notice" classList={{ "notice--danger": shown()?.status === "failed" }} role="note">
                    {shown()?.status === "failed" ? shown()?.error || "This version could not be completed." : "This version was stopped before it was finished."}
                  </p>
                </Show>
                <div class="artifact__content">
                  <AnswerBody content={shown()?.content ?? ""} sources={shown()?.sources ?? []} />
                </div>
                <div class="row-actions">
                  <button type="button" class="icon-btn" onClick={() => void navigator.clipboard?.writeText(shown()?.content ?? "")}>
                    Copy
                  </button>
                  <button type="button" class="icon-btn" onClick={() => setEditing(shown()?.content ?? "")}>
                    Edit
                  </button>
                  <button type="button" class="icon-btn" onClick={() => setRegenerating("")}>
                    Regenerate
                  </button>
                  <button type="button" class="icon-btn icon-btn--danger" onClick={() => setConfirmDelete(true)}>
                    Delete
                  </button>
                </div>
              </Show>
              <ConfirmDialog open={confirmDelete()} title="Delete these notes?" confirmLabel="Delete" busy={busy()} onConfirm={() => void remove()} onCancel={() => setConfirmDelete(false)}>
                <p>“{a().title || kindLabel(a().kind)}” and all {a().versions.length} of its versions will be deleted. This cannot be undone.</p>
              </ConfirmDialog>
            </section>
          )}
        </Match>
        <Match when={true}>
          <h3 class="panel-subtitle">{props.videoId ? "Create from this video" : "Create from this conversation"}</h3>
          <div class="kinds">
            <For each={ARTIFACT_KINDS}>
              {(k) => (
                <button type="button" class="kind" aria-pressed={k.kind === "custom" ? custom() !== null : undefined} onClick={() => (k.kind === "custom" ? setCustom(custom() === null ? "" : null) : generate(k.kind))}>
                  <span class="kind__label">{k.label}</span>
                  <span class="kind__hint">{k.hint}</span>
                </button>
              )}
            </For>
          </div>
          <Show when={custom() !== null}>
            <form
              class="artifact__regen"
              onSubmit={(e) => {
                e.preventDefault();
                if (custom()?.trim()) generate("custom", custom()!.trim());
              }}
            >
              <label for="custom-instructions">Instructions</label>
              <textarea id="custom-instructions" rows="3" maxLength={2000} value={custom() ?? ""} onInput={(e) => setCustom(e.currentTarget.value)} placeholder="e.g. A one-page cheat sheet of every formula mentioned, with timestamps" />
              <div class="row-actions">
                <button type="submit" class="chat-btn chat-btn--primary chat-btn--small" disabled={!custom()?.trim()}>
                  Generate
                </button>
              </div>
            </form>
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
              <p class="panel-empty">Nothing yet. Pick one above — it is saved here, with every version.</p>
            </Match>
            <Match when={true}>
              <ul class="artifact-list">
                <For each={list()}>
                  {(a) => (
                    <li>
                      <button type="button" class="artifact-card" onClick={() => void openArtifact(a.id)}>
                        <span class="artifact-card__kind">{kindLabel(a.kind)}</span>
                        <span class="artifact-card__title">{a.title || kindLabel(a.kind)}</span>
                        <span class="artifact-card__meta">
                          v{a.latestVersion} · {formatRelative(a.updatedAt)}
                        </span>
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            </Match>
          </Switch>
        </Match>
      </Switch>
    </div>
  );
}

