// One collection in the list: open it, rename it inline, or delete it.
import { useAction, useSubmission } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import ConfirmDialog from "~/components/ConfirmDialog";
import FormError from "~/components/FormError";
import { deleteCollection, updateCollection } from "~/lib/collections";
import { plural } from "~/lib/format";
import type { Collection } from "~/lib/types";

export default function CollectionCard(props: { collection: Collection }) {
  const [editing, setEditing] = createSignal(false);
  const [confirming, setConfirming] = createSignal(false);
  const saving = useSubmission(updateCollection, (input) => input[0]?.get("id") === props.collection.id);
  const remove = useAction(deleteCollection);
  const removing = useSubmission(deleteCollection, (input) => input[0] === props.collection.id);
  // Renaming and deleting are the owner's (the api refuses anyone else anyway).
  const canEdit = () => props.collection.role === "owner";
  const save = useAction(updateCollection);
  const onSave = async (e: SubmitEvent) => {
    e.preventDefault();
    try {
      await save(new FormData(e.currentTarget as HTMLFormElement));
      setEditing(false);
    } catch {
      /* shown by FormError */
    }
  };
  return (
    <li class="card collection-card">
      <Show
        when={editing()}
        fallback={
          <>
            <div class="collection-card__body">
              <h2 class="collection-card__name">
                <a href={`/collections/${props.collection.id}`}>{props.collection.name}</a>
              </h2>
              <Show when={props.collection.description}>
                <p class="collection-card__description">{props.collection.description}</p>
              </Show>
              <p class="collection-card__meta">
                <span>{plural(props.collection.videoCount, "video")}</span>
                <span aria-hidden="true">·</span>
                <span>{props.collection.readyCount} ready</span>
                <Show when={props.collection.role !== "owner"}>
                  <span aria-hidden="true">·</span>
                  <span>{props.collection.ownerName}’s</span>
                  <span class="badge">{props.collection.role}</span>
                </Show>
              </p>
            </div>
            <Show when={canEdit()}>
              <div class="collection-card__actions">
                <button
                  type="button"
                  class="button button--ghost button--small"
                  onClick={() => setEditing(true)}
                  aria-label={`Rename ${props.collection.name}`}
                >
                  Rename
                </button>
                <button
                  type="button"
                  class="button button--quiet-danger button--small"
                  onClick={() => setConfirming(true)}
                  aria-label={`Delete ${props.collection.name}`}
                >
                  Delete
                </button>
              </div>
            </Show>
          </>
        }
      >
        <form class="form collection-card__edit" onSubmit={onSave} onKeyDown={(e) => e.key === "Escape" && setEditing(false)}>
          <input type="hidden" name="id" value={props.collection.id} />
          <div class="field">
            <label for={`name-${props.collection.id}`}>Name</label>
            <input id={`name-${props.collection.id}`} name="name" value={props.collection.name} required maxLength={200} autofocus />
          </div>
          <div class="field">
            <label for={`description-${props.collection.id}`}>Description</label>
            <textarea id={`description-${props.collection.id}`} name="description" rows={2} maxLength={5000}>
              {props.collection.description}
            </textarea>
          </div>
          <FormError error={saving.error} />
          <div class="row">
            <button class="button button--small" type="submit" disabled={saving.pending}>
              Save
            </button>
            <button class="button button--ghost button--small" type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
      <ConfirmDialog
        open={confirming()}
        title={`Delete “${props.collection.name}”?`}
        confirmLabel="Delete collection"
        busy={removing.pending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          void remove(props.collection.id)
            .then(() => setConfirming(false))
            .catch(() => {})
        }
      >
        <p>
          Its {plural(props.collection.videoCount, "video")}, transcripts and conversations are deleted for everyone. This cannot be undone.
        </p>
        <FormError error={removing.error} />
      </ConfirmDialog>
    </li>
  );
}
