// Bottom of every page.
export default function SiteFooter() {
  return (
    <footer class="site-footer">
      <div class="container">
        <p>KnowledgeTree — a knowledge base you can talk to, built from your videos.</p>
      </div>
    </footer>
  );
}
