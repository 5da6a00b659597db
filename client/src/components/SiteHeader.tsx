// Top bar shown on every page: wordmark and primary navigation.
export default function SiteHeader() {
  return (
    <header class="site-header">
      <div class="container site-header__inner">
        <a class="wordmark" href="/" aria-label="KnowledgeTree home">
          <span class="wordmark__mark" aria-hidden="true">
            ◆
          </span>
          KnowledgeTree
        </a>
        <nav aria-label="Primary">
          <ul class="nav-list">
            <li class="nav-list__secondary">
              <a href="/#features">Features</a>
            </li>
            <li>
              <a class="button button--small" href="/login">
                Sign in
              </a>
            </li>
          </ul>
        </nav>
      </div>
    </header>
  );
}
