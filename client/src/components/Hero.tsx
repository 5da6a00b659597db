// The landing page's opening statement.
export default function Hero() {
  return (
    <section class="hero" aria-labelledby="hero-title">
      <div class="container">
        <h1 id="hero-title" class="hero__title">
          Talk to your videos.
        </h1>
        <p class="hero__lede">
          Every answer cites the moment it came from.
        </p>
        <p class="hero__body">
          KnowledgeTree turns talks, lectures and meetings into a knowledge base you can
          question. Add videos to a collection, ask in plain language, and jump straight
          to the second that backs each claim.
        </p>
        <div class="hero__actions">
          <a class="button" href="/signup">
            Start a collection
          </a>
          <a class="button button--ghost" href="#features">
            How it works
          </a>
        </div>
      </div>
    </section>
  );
}
