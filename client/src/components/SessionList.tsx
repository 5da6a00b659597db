// Signed-in devices: revoke one, or sign out everywhere.
import { useAction, useSubmission } from "@solidjs/router";
import { For, Show } from "solid-js";
import FormError from "~/components/FormError";
import { logOutEverywhere, revokeSession } from "~/lib/auth";
import { formatDateTime } from "~/lib/format";
import type { Session } from "~/lib/types";

// "Mozilla/5.0 (X11; Linux x86_64) … Chrome/140 …" -> "Chrome on Linux"
function describeAgent(ua: string | null): string {
  if (!ua) return "Unknown device";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Firefox\//.test(ua)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(ua)
        ? "Chrome"
        : /Safari\//.test(ua)
          ? "Safari"
          : /curl|bun|node/i.test(ua)
            ? "API client"
            : "Browser";
  const os = /iPhone|iPad/.test(ua)
    ? "iOS"
    : /Android/.test(ua)
      ? "Android"
      : /Mac OS X/.test(ua)
        ? "macOS"
        : /Windows/.test(ua)
          ? "Windows"
          : /Linux/.test(ua)
            ? "Linux"
            : "";
  return os ? `${browser} on ${os}` : browser;
}

export default function SessionList(props: { sessions: Session[] }) {
  const revoke = useAction(revokeSession);
  const revoking = useSubmission(revokeSession);
  const everywhere = useAction(logOutEverywhere);
  const leaving = useSubmission(logOutEverywhere);
  return (
    <div class="stack">
      <ul class="session-list">
        <For each={props.sessions}>
          {(session) => (
            <li class="card session">
              <div class="session__main">
                <p class="session__device">
                  {describeAgent(session.userAgent)}
                  <Show when={session.current}>
                    <span class="badge badge--accent">This device</span>
                  </Show>
                </p>
                <p class="session__meta">
                  <span>IP {session.ip ?? "unknown"}</span>
                  <span>Last used {formatDateTime(session.lastUsedAt)}</span>
                  <span>Signed in {formatDateTime(session.createdAt)}</span>
                </p>
                <Show when={session.userAgent}>
                  <p class="session__agent" title={session.userAgent!}>
                    {session.userAgent}
                  </p>
                </Show>
              </div>
              <Show when={!session.current}>
                <button
                  type="button"
                  class="button button--ghost button--small"
                  disabled={revoking.pending && revoking.input?.[0] === session.id}
                  onClick={() => void revoke(session.id).catch(() => {})}
                >
                  Sign out
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <FormError error={revoking.error ?? leaving.error} />
      <div class="danger-zone">
        <div>
          <h2 class="danger-zone__title">Log out everywhere</h2>
          <p>Ends every session, including this one. Use it if you signed in on a device you no longer have.</p>
        </div>
        <button type="button" class="button button--danger" disabled={leaving.pending} onClick={() => void everywhere().catch(() => {})}>
          Log out everywhere
        </button>
      </div>
    </div>
  );
}
