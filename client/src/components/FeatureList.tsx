// Three short points on what the product does.
import { For } from "solid-js";

const features = [
  {
    title: "Bring any video",
    body: "Paste a YouTube link, upload subtitle files (SRT, VTT) or drop in audio — we transcribe and index it.",
  },
  {
    title: "Ask, and see the source",
    body: "Answers stream in as they are written, each claim cited to the exact second in the video.",
  },
  {
    title: "Share with your team",
    body: "Invite people to a collection as editors or viewers; everyone asks the same knowledge base.",
  },
];

export default function FeatureList() {
  return (
    <section id="features" class="features" aria-labelledby="features-title">
      <div class="container">
        <h2 id="features-title" class="section-title">
          How it works
        </h2>
        <ol class="feature-grid">
          <For each={features}>
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
