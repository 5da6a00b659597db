// Name and description of a collection, editable in place by its owner, with
// the share dialog and the way to chat.
import { useAction, useSubmission } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import FormError from "~/components/FormError";
import ShareDialog from "~/components/sharing/ShareDialog";
import { updateCollection } from "~/lib/collections";
import { plural } from "~/lib/format";
import type { Collection } from "~/lib/types";

export default function CollectionHeader(props: { collection: Collection; readyCount: number; videoCount: number }) {
  const [editing, setEditing] = createSignal(false);
  const save = useAction(updateCollection);
  const saving = useSubmission(updateCollection);
  const [sharing, setSharing] = createSignal(false);
  const canEdit = () => props.collection.role === "owner";
  const onSubmit = async (e: SubmitEvent) => {
    e.preventDefault();
    try {
      await save(new FormData(e.currentTarget as HTMLFormElement));
      setEditing(false);
    } catch {
      /* shown below */
    }
  };
  return (
    <header class="collection-header">
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="/collections">Collections</a>
        <span aria-hidden="true">/</span>
      </nav>
      <Show
        when={editing()}
        fallback={
          <div class="collection-header__row">
            <div class="collection-header__text">
              <h1 class="collection-header__title">{props.collection.name}</h1>
              <Show
                when={props.collection.description}
                fallback={
                  <p class="page__lede">
                    {plural(props.videoCount, "video")}, {props.readyCount} ready to ask about.
                  </p>
                }
              >
                <p class="page__lede">{props.collection.description}</p>
              </Show>
            </div>
            <div class="collection-header__actions">
              <Show when={canEdit()}>
                <button type="button" class="button button--ghost" onClick={() => setEditing(true)}>
                  Edit
                </button>
              </Show>
              <button type="button" class="button button--ghost" onClick={() => setSharing(true)}>
                {props.collection.role === "owner" ? "Share" : `People (${props.collection.memberCount})`}
              </button>
              <a
                class="button"
                href={`/collections/${props.collection.id}/chat`}
                aria-disabled={props.readyCount === 0 ? "true" : undefined}
              >
                <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" class="button__icon">
                  <path
                    d="M4 4h12a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H9l-4 3v-3H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1Z"
                    fill="none"
                    stroke="currentColor"
                    stroke-width="1.6"
                    stroke-linejoin="round"
                  />
                </svg>
                Chat with this collection
              </a>
            </div>
          </div>
        }
      >
        <form class="form collection-header__edit" onSubmit={onSubmit} onKeyDown={(e) => e.key === "Escape" && setEditing(false)}>
          <input type="hidden" name="id" value={props.collection.id} />
          <div class="field">
            <label for="edit-name">Name</label>
            <input id="edit-name" name="name" value={props.collection.name} required maxLength={200} autofocus />
          </div>
          <div class="field">
            <label for="edit-description">Description</label>
            <textarea id="edit-description" name="description" rows={2} maxLength={5000}>
              {props.collection.description}
            </textarea>
          </div>
          <FormError error={saving.error} />
          <div class="row">
            <button class="button" type="submit" disabled={saving.pending}>
              Save
            </button>
            <button class="button button--ghost" type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
      <ShareDialog collection={props.collection} open={sharing()} onClose={() => setSharing(false)} />
    </header>
  );
}
