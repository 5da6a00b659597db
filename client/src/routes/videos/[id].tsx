// The transcript viewer: /videos/:id?t=SECONDS
import { Title } from "@solidjs/meta";
import { createAsync, useParams, type RouteDefinition } from "@solidjs/router";
import { Match, Switch } from "solid-js";
import NotFoundPanel from "~/components/NotFoundPanel";
import VideoPage from "~/components/VideoPage";
import { getTranscript, getVideo } from "~/lib/videos";

export const route = {
  preload: ({ params }) => {
    void getVideo(params.id!);
    void getTranscript(params.id!);
  },
} satisfies RouteDefinition;

export default function VideoRoute() {
  const params = useParams<{ id: string }>();
  const video = createAsync(() => getVideo(params.id));
  const segments = createAsync(() => getTranscript(params.id));
  return (
    <Switch>
      <Match when={video() === null}>
        <NotFoundPanel what="Video" />
      </Match>
      <Match when={video() && segments()}>
        <Title>{video()!.title} — KnowledgeTree</Title>
        <VideoPage video={video()!} segments={segments()!} />
      </Match>
    </Switch>
  );
}
