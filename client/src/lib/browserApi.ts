// Browser-side calls to the api (same origin, session cookies, the browser
// sends Origin). An expired access token is refreshed once and the call
// retried; a session that cannot be refreshed sends the person to sign in.
import { errorFromResponse } from "./problem";

let refreshing: Promise<boolean> | null = null;

export function refreshSession(): Promise<boolean> {
  refreshing ??= fetch("/api/auth/refresh", { method: "POST", credentials: "same-origin" })
    .then((r) => r.ok)
    .catch(() => false)
    .finally(() => setTimeout(() => (refreshing = null), 0));
  return refreshing;
}

export function goToLogin(): never {
  const here = location.pathname + location.search;
  location.assign(`/login?returnTo=${encodeURIComponent(here)}`);
  throw new Error("Your session has ended. Sign in again.");
}

export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const send = () => fetch(path, { credentials: "same-origin", ...init, headers: { accept: "application/json", ...(init.headers ?? {}) } });
  let response = await send();
  if (response.status === 401) {
    if (!(await refreshSession())) goToLogin();
    response = await send();
    if (response.status === 401) goToLogin();
  }
  return response;
}

/** JSON body of a successful call; otherwise throws with the problem's `detail`. */
export async function apiJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await apiFetch(path, init);
  if (!response.ok) throw await errorFromResponse(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export function jsonBody(value: unknown): RequestInit {
  return { body: JSON.stringify(value), headers: { "content-type": "application/json" } };
}
