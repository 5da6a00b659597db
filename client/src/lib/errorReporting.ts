// Browser error reporting: on only when the server put a `kt-error-reporting`
// meta tag in the page (SENTRY_BROWSER_DSN set). The Sentry SDK is then loaded
// as its own chunk; otherwise nothing is downloaded. Reports go through the
// same scrubbing as the server's (no emails, tokens, cookies, query strings),
// and the SDK adds no breadcrumbs, replays or performance tracing.
import { scrubEvent } from "../../../server/platform/scrub";

type Settings = { dsn: string; environment?: string; release?: string };

function settingsFromPage(): Settings | null {
  const content = document.querySelector('meta[name="kt-error-reporting"]')?.getAttribute("content");
  if (!content) return null;
  try {
    const settings = JSON.parse(content) as Settings;
    return typeof settings.dsn === "string" && settings.dsn ? settings : null;
  } catch {
    return null;
  }
}

export async function startBrowserErrorReporting(): Promise<void> {
  const settings = settingsFromPage();
  if (!settings) return;
  const Sentry = await import("@sentry/browser");
  Sentry.init({
    dsn: settings.dsn,
    environment: settings.environment,
    release: settings.release,
    defaultIntegrations: false,
    integrations: [Sentry.globalHandlersIntegration(), Sentry.linkedErrorsIntegration(), Sentry.dedupeIntegration()],
    sendClientReports: false,
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: () => null,
  });
  Sentry.setTag("service", "web");
}
