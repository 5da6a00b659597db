// The transcript viewer: /videos/:id?t=SECONDS
import { Title } from "@solidjs/meta";
import { createAsync, useParams, useSearchParams, type RouteDefinition } from "@solidjs/router";
import { createMemo, Match, Switch, untrack } from "solid-js";
import NotFoundPanel from "~/components/NotFoundPanel";
import VideoPage from "~/components/VideoPage";
import { getTranscriptWindow } from "~/lib/transcriptWindow";
import { getVideo } from "~/lib/videos";

/** `?t=` in whole seconds, or null. */
function secondsOf(raw: string | string[] | undefined): number | null {
  const n = Number.parseFloat((Array.isArray(raw) ? raw[0] : raw) ?? "");
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : null;
}

// Not the transcript: preload runs again when a click moves `t`, and each run
// would fetch a window the page no longer needs.
export const route = {
  preload: ({ params }) => void getVideo(params.id!),
} satisfies RouteDefinition;

export default function VideoRoute() {
  const params = useParams<{ id: string }>();
  const video = createAsync(() => getVideo(params.id));
  const [search] = useSearchParams();
  // The window is placed by the `t` the page opened at: a click moving `t` later
  // must not fetch another window (the browser has the whole transcript by then).
  const openedAt = createMemo(() => (params.id ? untrack(() => secondsOf(search.t)) : null));
  const transcript = createAsync(() => getTranscriptWindow(params.id, openedAt()));
  return (
    <Switch>
      <Match when={video() === null}>
        <NotFoundPanel what="Video" />
      </Match>
      <Match when={video() && transcript()}>
        <Title>{video()!.title} — KnowledgeTree</Title>
        <VideoPage video={video()!} transcript={transcript()!} />
      </Match>
    </Switch>
  );
}
