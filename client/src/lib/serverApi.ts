// Server-side access to the api for page rendering and server functions. Reads
// the session cookies of the incoming request, calls the api with
// `Authorization: Bearer` (so no CSRF Origin dance), refreshes an expired
// access token once per request with the refresh cookie and forwards the new
// cookies on the page response. Only import this from "use server" code.
import { redirect } from "@solidjs/router";
import { getRequestEvent } from "solid-js/web";
import { errorFromResponse } from "./problem";

const ACCESS_MAX_AGE = 15 * 60;
const REFRESH_MAX_AGE = 7 * 24 * 3600;

type Names = { access: string; refresh: string; secure: boolean };
type AuthState = { names: Names; access: string | null; refresh: string | null; refreshing: Promise<string | null> | null };
type Event = NonNullable<ReturnType<typeof getRequestEvent>>;

function requestEvent(): Event {
  const event = getRequestEvent();
  if (!event) throw new Error("the api helper runs only on the server, during a request");
  return event;
}

// The api process sets KT_INTERNAL_API_URL to its own loopback URL, so these
// calls never depend on the (client-controlled) Host header.
export function apiOrigin(): string {
  const configured = process.env.KT_INTERNAL_API_URL;
  if (configured) return configured.replace(/\/+$/, "");
  return new URL(requestEvent().request.url).origin;
}

function parseCookies(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    if (!out.has(name)) out.set(name, decodeURIComponent(part.slice(i + 1).trim()));
  }
  return out;
}

// Cookies are `__Host-` prefixed (and Secure) unless the app runs on plain
// http at a non-local address; whichever the browser sent decides.
function authState(event: Event): AuthState {
  const locals = event.locals as { ktAuth?: AuthState };
  if (locals.ktAuth) return locals.ktAuth;
  const cookies = parseCookies(event.request.headers.get("cookie"));
  const plain =
    !cookies.has("__Host-kt_refresh") && !cookies.has("__Host-kt_access") && (cookies.has("kt_refresh") || cookies.has("kt_access"));
  const names: Names = plain
    ? { access: "kt_access", refresh: "kt_refresh", secure: false }
    : { access: "__Host-kt_access", refresh: "__Host-kt_refresh", secure: true };
  locals.ktAuth = { names, access: cookies.get(names.access) || null, refresh: cookies.get(names.refresh) || null, refreshing: null };
  return locals.ktAuth;
}

function setCookie(event: Event, names: Names, name: string, value: string, maxAge: number): void {
  const attributes = [`${name}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAge}`];
  if (names.secure) attributes.push("Secure");
  event.response.headers.append("set-cookie", attributes.join("; "));
}

// Refresh once per request, however many queries ask at the same time (the
// api rotates refresh tokens; a second rotation would only ride on its grace window).
function refreshAccess(event: Event, state: AuthState): Promise<string | null> {
  if (!state.refresh) return Promise.resolve(null);
  state.refreshing ??= (async () => {
    const response = await fetch(`${apiOrigin()}/api/auth/refresh`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "user-agent": event.request.headers.get("user-agent") ?? "",
      },
      body: JSON.stringify({ refreshToken: state.refresh }),
    }).catch(() => null);
    if (!response) return null;
    if (!response.ok) {
      // The session is over: drop the cookies so the next page does not retry.
      setCookie(event, state.names, state.names.access, "", 0);
      setCookie(event, state.names, state.names.refresh, "", 0);
      state.refresh = null;
      state.access = null;
      return null;
    }
    const body = (await response.json()) as { accessToken?: unknown; refreshToken?: unknown };
    if (typeof body.accessToken !== "string" || typeof body.refreshToken !== "string") return null;
    setCookie(event, state.names, state.names.access, body.accessToken, ACCESS_MAX_AGE);
    setCookie(event, state.names, state.names.refresh, body.refreshToken, REFRESH_MAX_AGE);
    state.access = body.accessToken;
    state.refresh = body.refreshToken;
    return body.accessToken;
  })();
  return state.refreshing;
}

function call(path: string, token: string, init: RequestInit, event: Event): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  headers.set("accept", "application/json");
  const ua = event.request.headers.get("user-agent");
  if (ua) headers.set("user-agent", ua);
  return fetch(`${apiOrigin()}${path}`, { ...init, headers });
}

/** Calls the api as the signed-in user; null when there is no session at all. */
export async function apiAsUser(path: string, init: RequestInit = {}): Promise<Response | null> {
  const event = requestEvent();
  const state = authState(event);
  let token = state.access ?? (await refreshAccess(event, state));
  if (!token) return null;
  let response = await call(path, token, init, event);
  if (response.status === 401) {
    state.access = null;
    token = await refreshAccess(event, state);
    if (!token) return null;
    response = await call(path, token, init, event);
    if (response.status === 401) return null;
  }
  return response;
}

/** Where the person is now, to come back to after signing in. */
function currentPath(event: Event): string {
  const url = new URL(event.request.url);
  // Server-function calls come from the page named by the Referer.
  if (url.pathname.startsWith("/_server")) {
    const referer = event.request.headers.get("referer");
    if (referer) {
      const r = new URL(referer);
      return r.pathname + r.search;
    }
    return "/collections";
  }
  return url.pathname + url.search;
}

/** Like apiAsUser, but a missing session sends the person to the login page. */
export async function apiRequired(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await apiAsUser(path, init);
  if (!response) throw redirect(`/login?returnTo=${encodeURIComponent(currentPath(requestEvent()))}`);
  return response;
}

/** JSON of a successful call, or an ApiError with the problem's detail. */
export async function jsonOrThrow<T>(response: Response): Promise<T> {
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}

/** Null for 404 (and 403: not yours looks the same as not there). */
export async function jsonOrNull<T>(response: Response): Promise<T | null> {
  if (response.status === 404 || response.status === 403) return null;
  return jsonOrThrow<T>(response);
}
