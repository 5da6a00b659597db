// The transcript viewer's Studio: a summary, study notes, an outline or an FAQ
// written from this one video's transcript (the chat's ArtifactPanel, keyed by
// the video), saved with every version. Viewers read them; editors and the owner write them.
import ArtifactPanel from "~/components/chat/ArtifactPanel";
import "~/components/chat/chat.css";

export default function VideoNotes(props: { videoId: string; readOnly: boolean }) {
  return (
    <section class="card video-notes" aria-labelledby="video-notes-title">
      <h2 id="video-notes-title" class="video-notes__title">
        Notes
      </h2>
      <ArtifactPanel videoId={props.videoId} readOnly={props.readOnly} />
    </section>
  );
}
