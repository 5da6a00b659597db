// Add a YouTube video by its link.
import { useAction, useSubmission } from "@solidjs/router";
import FormError from "~/components/FormError";
import type { Video } from "~/lib/types";
import { addYoutube } from "~/lib/videos";

export default function YoutubeForm(props: { collectionId: string; onAdded: (video: Video) => void }) {
  const add = useAction(addYoutube);
  const submission = useSubmission(addYoutube);
  const onSubmit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    try {
      props.onAdded(await add(new FormData(form)));
      form.reset();
    } catch {
      /* shown below */
    }
  };
  return (
    <form class="youtube-form" onSubmit={onSubmit}>
      <input type="hidden" name="collectionId" value={props.collectionId} />
      <label for="youtube-url" class="add-panel__label">
        YouTube link
      </label>
      <div class="input-row">
        <input
          id="youtube-url"
          name="url"
          type="url"
          inputmode="url"
          required
          placeholder="https://www.youtube.com/watch?v=…"
          autocomplete="off"
        />
        <button class="button" type="submit" disabled={submission.pending}>
          {submission.pending ? "Adding…" : "Add"}
        </button>
      </div>
      <FormError error={submission.error} />
    </form>
  );
}
