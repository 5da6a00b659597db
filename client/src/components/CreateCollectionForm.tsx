// Inline form that creates a collection and opens it.
import { useNavigate, useSubmission } from "@solidjs/router";
import { createEffect } from "solid-js";
import FormError from "~/components/FormError";
import { createCollection } from "~/lib/collections";

export default function CreateCollectionForm(props: { autofocus?: boolean }) {
  const submission = useSubmission(createCollection);
  const navigate = useNavigate();
  createEffect(() => {
    const created = submission.result;
    if (created?.id) navigate(`/collections/${created.id}`);
  });
  return (
    <form action={createCollection} method="post" class="card create-collection" aria-labelledby="create-title">
      <h2 id="create-title" class="create-collection__title">
        New collection
      </h2>
      <div class="create-collection__fields">
        <div class="field">
          <label for="collection-name">Name</label>
          <input id="collection-name" name="name" required maxLength={200} placeholder="e.g. Python podcasts" autofocus={props.autofocus} />
        </div>
        <div class="field create-collection__description">
          <label for="collection-description">
            Description <span class="field__optional">(optional)</span>
          </label>
          <input id="collection-description" name="description" maxLength={5000} placeholder="What ties these videos together?" />
        </div>
        <button class="button" type="submit" disabled={submission.pending}>
          {submission.pending ? "Creating…" : "Create"}
        </button>
      </div>
      <FormError error={submission.error} />
    </form>
  );
}
