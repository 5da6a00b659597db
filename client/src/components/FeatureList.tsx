// Three short points on what the product does, promising only what this
// server does (audio only with transcription, written answers only with a
// language model, sharing only when it is on).
import { For } from "solid-js";
import { transcriptFormatsText } from "~/lib/capabilities";
import type { Capabilities } from "~/lib/types";

function featuresOf(c: Capabilities | undefined) {
  const formats = c ? transcriptFormatsText(c.uploads.transcriptExtensions) : "SRT, VTT";
  const features = [
    {
      title: "Bring any video",
      body: c?.transcription
        ? `Paste a YouTube link, upload subtitle files (${formats}) or drop in audio — we transcribe and index it.`
        : `Paste a YouTube link or upload its subtitle files (${formats}) — we index every line with its time.`,
    },
    {
      title: "Ask, and see the source",
      body:
        c && !c.languageModel
          ? "Ask in plain language and get the passages that answer it, each cited to the exact second in the video."
          : "Answers stream in as they are written, each claim cited to the exact second in the video.",
    },
  ];
  if (!c || c.sharing)
    features.push({
      title: "Share with your team",
      body: "Invite people to a collection as editors or viewers; everyone asks the same knowledge base.",
    });
  return features;
}

export default function FeatureList(props: { capabilities?: Capabilities }) {
  return (
    <section id="features" class="features" aria-labelledby="features-title">
      <div class="container">
        <h2 id="features-title" class="section-title">
          How it works
        </h2>
        <ol class="feature-grid">
          <For each={featuresOf(props.capabilities)}>
            {(feature, index) => (
              <li class="card feature">
                <span class="feature__step" aria-hidden="true">
                  {index() + 1}
                </span>
                <h3 class="feature__title">{feature.title}</h3>
                <p class="feature__body">{feature.body}</p>
              </li>
            )}
          </For>
        </ol>
      </div>
    </section>
  );
}
