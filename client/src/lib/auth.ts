// Sign-up, sign-in, sessions and email links. Writes run in the browser
// against the api (so the api sets its own httpOnly cookies and records the
// real device); reads that need the session run on the server.
import { action, query } from "@solidjs/router";
import { apiJson, jsonBody } from "./browserApi";
import { errorFromResponse } from "./problem";
import { apiOrigin, apiRequired, jsonOrThrow } from "./serverApi";
import { safeReturnTo } from "./format";
import type { Provider, Session } from "./types";

export const getProviders = query(async (): Promise<Provider[]> => {
  "use server";
  try {
    const response = await fetch(`${apiOrigin()}/api/auth/providers`, { headers: { accept: "application/json" } });
    if (!response.ok) return [];
    const body = (await response.json()) as { providers?: Provider[] };
    return Array.isArray(body.providers) ? body.providers : [];
  } catch {
    return [];
  }
}, "authProviders");

export const getSessions = query(async (): Promise<Session[]> => {
  "use server";
  return jsonOrThrow<Session[]>(await apiRequired("/api/auth/sessions"));
}, "authSessions");

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}

async function postJson(path: string, value: unknown): Promise<Response> {
  return fetch(path, { method: "POST", credentials: "same-origin", ...jsonBody(value) });
}

export const logIn = action(async (form: FormData) => {
  const response = await postJson("/api/auth/login", { email: field(form, "email"), password: String(form.get("password") ?? "") });
  if (!response.ok) throw await errorFromResponse(response);
  // A full load, so every server-rendered part sees the new session cookies.
  location.assign(safeReturnTo(field(form, "returnTo")));
  return { ok: true as const };
}, "logIn");

export const signUp = action(async (form: FormData) => {
  const email = field(form, "email");
  const password = String(form.get("password") ?? "");
  const displayName = field(form, "displayName");
  const response = await postJson("/api/auth/signup", displayName ? { email, password, displayName } : { email, password });
  if (!response.ok) throw await errorFromResponse(response);
  // Sign-up answers the same for a taken address; signing in tells us whether
  // these credentials work, without revealing anything new.
  const login = await postJson("/api/auth/login", { email, password });
  if (login.ok) {
    const returnTo = safeReturnTo(field(form, "returnTo"));
    location.assign(returnTo === "/collections" ? "/collections?welcome=1" : returnTo);
    return { signedIn: true as const };
  }
  return { signedIn: false as const };
}, "signUp");

export const logOut = action(async () => {
  await fetch("/api/auth/logout", { method: "POST", credentials: "same-origin" });
  location.assign("/");
}, "logOut");

export const logOutEverywhere = action(async () => {
  await apiJson("/api/auth/logout-all", { method: "POST" });
  location.assign("/login?signedOut=all");
}, "logOutEverywhere");

export const revokeSession = action(async (id: string) => {
  await apiJson(`/api/auth/sessions/${encodeURIComponent(id)}`, { method: "DELETE" });
  return { revoked: id };
}, "revokeSession");

export const requestPasswordReset = action(async (form: FormData) => {
  const response = await postJson("/api/auth/password-reset", { email: field(form, "email") });
  if (!response.ok) throw await errorFromResponse(response);
  return { sent: true as const };
}, "requestPasswordReset");

export const confirmPasswordReset = action(async (form: FormData) => {
  const password = String(form.get("password") ?? "");
  if (password !== String(form.get("confirm") ?? "")) throw new Error("The two passwords are not the same.");
  const response = await postJson("/api/auth/password-reset/confirm", { token: field(form, "token"), password });
  if (!response.ok) throw await errorFromResponse(response);
  return { done: true as const };
}, "confirmPasswordReset");

export const verifyEmail = action(async (token: string) => {
  const response = await postJson("/api/auth/verify-email", { token });
  if (!response.ok) throw await errorFromResponse(response);
  return { verified: true as const };
}, "verifyEmail");
