// The one way the browser calls the api (same origin, session cookies; the
// browser sends Origin). An expired access token is refreshed once, shared by
// every call in flight (two refreshes would rotate the refresh token twice),
// and the call retried; a session that cannot be refreshed sends the person to
// sign in. Failures throw ApiError: the problem's detail, or status 0 when the
// server could not be reached. Uploads use XMLHttpRequest for progress
// (uploads.ts) and live video status uses EventSource (liveVideos.ts); both
// share refreshSession and goToLogin from here.
import { ApiError, errorFromResponse } from "./problem";

export { ApiError };

export type ApiInit = RequestInit & {
  /** For calls made without a session (sign-in, sign-up, email links): a 401 is their answer, not an expired session. */
  anonymous?: boolean;
};

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

async function send(path: string, init: ApiInit): Promise<Response> {
  const { anonymous: _anonymous, ...rest } = init;
  const json: Record<string, string> = typeof rest.body === "string" ? { "content-type": "application/json" } : {};
  try {
    return await fetch(path, {
      credentials: "same-origin",
      ...rest,
      headers: { accept: "application/json", ...json, ...(rest.headers as Record<string, string> | undefined) },
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    if (error instanceof TypeError)
      throw new ApiError("The server could not be reached. Check your connection and try again.", 0, "network");
    throw error;
  }
}

/** A successful response; anything else throws ApiError. */
export async function apiFetch(path: string, init: ApiInit = {}): Promise<Response> {
  let response = await send(path, init);
  if (response.status === 401 && !init.anonymous) {
    if (!(await refreshSession())) goToLogin();
    response = await send(path, init);
    if (response.status === 401) goToLogin();
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

/** The JSON body of a successful call (undefined for 204). */
export async function apiJson<T>(path: string, init: ApiInit = {}): Promise<T> {
  const response = await apiFetch(path, init);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A text/event-stream response (an answer, an artifact version); `lastEventId` resumes after that event. */
export function apiStream(path: string, init: ApiInit & { lastEventId?: number } = {}): Promise<Response> {
  const { lastEventId, ...rest } = init;
  const resume: Record<string, string> = lastEventId === undefined ? {} : { "last-event-id": String(lastEventId) };
  return apiFetch(path, {
    ...rest,
    headers: { accept: "text/event-stream", ...resume, ...(rest.headers as Record<string, string> | undefined) },
  });
}

/** A request with a JSON body (or none): `apiJson(path, withJson("POST", value))`. */
export function withJson(method: string, value?: unknown): RequestInit {
  return { method, body: value === undefined ? undefined : JSON.stringify(value) };
}

// Loose on purpose: the api validates the format; this only spares a request that cannot succeed.
const UUID = /^[0-9a-f-]{36}$/i;

/** An id the api could have issued; anything else is not worth a request (the page shows 404). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A text field of a submitted form: trimmed unless `trim` is false (passwords keep their spaces). */
export function formField(form: FormData, name: string, options: { trim?: boolean } = {}): string {
  const value = form.get(name);
  const text = typeof value === "string" ? value : "";
  return options.trim === false ? text : text.trim();
}
