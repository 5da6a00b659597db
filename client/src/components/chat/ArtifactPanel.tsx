// Studio: documents made from the conversation, or from one video's transcript
// (summary, study notes, outline, FAQ, or custom instructions). They stream in like answers; each edit or
// regeneration is a new version, and older versions stay viewable.
import { createEffect, createSignal, Match, on, onCleanup, Show, Switch } from "solid-js";
import { useCapabilities } from "~/lib/capabilities";
import { artifactsApi, followArtifactVersion, streamArtifact, type ArtifactOf } from "~/lib/chatArtifacts";
import { messageOf } from "~/lib/problem";
import type { Artifact, ArtifactKind, ArtifactSummary } from "~/lib/types";
import { initialAnswer, TERMINAL, type AnswerState, type StreamRun } from "~/lib/chatStream";
import ArtifactKindPicker from "./ArtifactKindPicker";
import ArtifactView from "./ArtifactView";
import LiveArtifact from "./LiveArtifact";
import SavedArtifacts, { type SavedArtifactsStatus } from "./SavedArtifacts";

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
  const [status, setStatus] = createSignal<SavedArtifactsStatus>("idle");
  const [error, setError] = createSignal<string | null>(null);
  const [open, setOpen] = createSignal<Artifact | null>(null);
  const [version, setVersion] = createSignal<number | null>(null);
  const [live, setLive] = createSignal<AnswerState | null>(null);
  const [custom, setCustom] = createSignal<string | null>(null);
  const [editing, setEditing] = createSignal<string | null>(null);
  const [regenerating, setRegenerating] = createSignal<string | null>(null);
  const [confirmDelete, setConfirmDelete] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  // Read here, once per panel, not by the kind picker each time it shows.
  const capabilities = useCapabilities();
  let run: StreamRun | null = null;
  onCleanup(() => run?.cancel());

  // What belongs to one open document: an edit, a regeneration's
  // instructions or a delete confirmation must never carry over to another
  // (saving an edit begun on one document would overwrite the next one).
  const closeDocument = () => {
    setOpen(null);
    setEditing(null);
    setRegenerating(null);
    setConfirmDelete(false);
  };
  // Bumped when the panel moves to another conversation or video: a reply
  // still on its way for the previous one is dropped.
  let switches = 0;

  const load = async () => {
    const source = of();
    if (!source) return;
    const asked = switches;
    setStatus("loading");
    try {
      const items = await artifactsApi.list(source);
      if (asked !== switches) return;
      setList(items);
      setStatus("ready");
    } catch (e) {
      if (asked !== switches) return;
      const s = (e as { status?: number }).status;
      setStatus(s === 404 || s === 405 ? "unavailable" : "error");
      setError(messageOf(e));
    }
  };
  createEffect(
    on(
      () => props.videoId ?? props.conversationId,
      () => {
        switches++;
        run?.cancel();
        run = null;
        closeDocument();
        setLive(null);
        setCustom(null);
        setError(null);
        setList([]);
        void load();
      },
    ),
  );

  const openArtifact = async (id: string, atVersion?: number) => {
    setError(null);
    const asked = switches;
    try {
      const a = await artifactsApi.get(id);
      if (asked !== switches) return;
      if (open()?.id !== a.id) closeDocument();
      setOpen(a);
      const v = atVersion ?? Math.max(...a.versions.map((x) => x.version));
      setVersion(v);
      const streaming = a.versions.find((x) => x.version === v && x.status === "streaming");
      if (streaming) attach(followArtifactVersion(id, v, onLive));
    } catch (e) {
      if (asked === switches) setError(messageOf(e));
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
    closeDocument();
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
      closeDocument();
      await load();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

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
            <LiveArtifact
              live={l()}
              streaming={streaming()}
              videoId={props.videoId}
              onStop={() => void stop()}
              onClose={() => setLive(null)}
            />
          )}
        </Match>
        <Match when={open()}>
          {(a) => (
            <ArtifactView
              artifact={a()}
              version={version()}
              onVersion={setVersion}
              editing={editing()}
              regenerating={regenerating()}
              confirmDelete={confirmDelete()}
              busy={busy()}
              readOnly={props.readOnly}
              onBack={closeDocument}
              onEditing={setEditing}
              onSave={() => void save()}
              onRegenerating={setRegenerating}
              onRegenerate={regenerate}
              onConfirmDelete={setConfirmDelete}
              onRemove={() => void remove()}
            />
          )}
        </Match>
        <Match when={true}>
          <Show when={!props.readOnly}>
            <ArtifactKindPicker
              videoId={props.videoId}
              capabilities={capabilities()}
              custom={custom()}
              onCustom={setCustom}
              onGenerate={generate}
            />
          </Show>
          <SavedArtifacts
            status={status()}
            error={error()}
            items={list()}
            videoId={props.videoId}
            readOnly={props.readOnly}
            onRetry={() => void load()}
            onOpen={(id) => void openArtifact(id)}
          />
        </Match>
      </Switch>
    </div>
  );
}
