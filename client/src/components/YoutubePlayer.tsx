// A YouTube video in the IFrame API player. Without the API (offline, blocked
// by an extension) the placeholder stays and says so; the transcript beside it
// keeps working on its own.
import { createSignal, onCleanup, onMount, Show } from "solid-js";

export type PlayerControl = { seekTo(seconds: number): void; currentTime(): number | null; playing(): boolean };

type YTPlayer = {
  seekTo(s: number, allowSeekAhead: boolean): void;
  getCurrentTime(): number;
  getPlayerState(): number;
  playVideo(): void;
  destroy(): void;
};
type YTNamespace = { Player: new (el: HTMLElement, options: Record<string, unknown>) => YTPlayer };
type YTWindow = Window & { YT?: YTNamespace; onYouTubeIframeAPIReady?: () => void };

const API_URL = "https://www.youtube.com/iframe_api";
const LOAD_TIMEOUT_MS = 10_000;

function loadApi(): Promise<YTNamespace> {
  const w = window as YTWindow;
  if (w.YT?.Player) return Promise.resolve(w.YT);
  return new Promise((resolve, reject) => {
    const previous = w.onYouTubeIframeAPIReady;
    w.onYouTubeIframeAPIReady = () => {
      previous?.();
      if (w.YT) resolve(w.YT);
    };
    if (!document.querySelector(`script[src="${API_URL}"]`)) {
      const script = document.createElement("script");
      script.src = API_URL;
      script.async = true;
      script.onerror = () => reject(new Error("YouTube player script did not load"));
      document.head.append(script);
    }
    setTimeout(() => reject(new Error("YouTube player script timed out")), LOAD_TIMEOUT_MS);
  });
}

export default function YoutubePlayer(props: {
  youtubeId: string;
  title: string;
  startSeconds: number;
  watchUrl: string | null;
  onReady: (control: PlayerControl) => void;
}) {
  const [state, setState] = createSignal<"loading" | "ready" | "unavailable">("loading");
  let mount: HTMLDivElement | undefined;
  let player: YTPlayer | undefined;

  onMount(() => {
    let cancelled = false;
    loadApi()
      .then((YT) => {
        if (cancelled || !mount) return;
        player = new YT.Player(mount, {
          videoId: props.youtubeId,
          width: "100%",
          height: "100%",
          playerVars: { start: Math.floor(props.startSeconds), rel: 0, playsinline: 1 },
          events: {
            onReady: () => {
              setState("ready");
              props.onReady({
                seekTo: (s) => {
                  player?.seekTo(s, true);
                  player?.playVideo();
                },
                currentTime: () => (player ? player.getCurrentTime() : null),
                playing: () => player?.getPlayerState() === 1,
              });
            },
          },
        });
      })
      .catch(() => !cancelled && setState("unavailable"));
    onCleanup(() => {
      cancelled = true;
      player?.destroy();
    });
  });

  return (
    <div class="player" data-state={state()}>
      <div class="player__frame">
        <div ref={mount} class="player__mount" title={props.title} />
        <Show when={state() !== "ready"}>
          <div class="player__placeholder">
            <span class="player__play" aria-hidden="true">
              ▶
            </span>
            <p role="status">
              {state() === "loading"
                ? "Loading the YouTube player…"
                : "The YouTube player could not load here. The transcript works on its own."}
            </p>
            <Show when={props.watchUrl}>
              <a href={props.watchUrl!} target="_blank" rel="noopener noreferrer">
                Watch on YouTube ↗
              </a>
            </Show>
          </div>
        </Show>
      </div>
    </div>
  );
}
