// Sign-up, sign-in, sessions and email links. Writes run in the browser
// against the api (so the api sets its own httpOnly cookies and records the
// real device); reads that need the session run on the server.
import { action, query } from "@solidjs/router";
import { ApiError, apiFetch, apiJson, formField, withJson } from "./browserApi";
import { apiOrigin, apiRequired, jsonOrThrow } from "./serverApi";
import { safeReturnTo } from "./format";
import type { DeletionSummary, Provider, Session, User } from "./types";

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

// Sign-in and email-link calls are made without a session: their 401 is an answer, not an expired session.
const postAnonymous = (path: string, value: unknown) => apiFetch(path, { ...withJson("POST", value), anonymous: true });

export const logIn = action(async (form: FormData) => {
  await postAnonymous("/api/auth/login", { email: formField(form, "email"), password: formField(form, "password", { trim: false }) });
  // A full load, so every server-rendered part sees the new session cookies.
  location.assign(safeReturnTo(formField(form, "returnTo")));
  return { ok: true as const };
}, "logIn");

export const signUp = action(async (form: FormData) => {
  const email = formField(form, "email");
  const password = formField(form, "password", { trim: false });
  const displayName = formField(form, "displayName");
  await postAnonymous("/api/auth/signup", displayName ? { email, password, displayName } : { email, password });
  // Sign-up answers the same for a taken address; signing in tells us whether
  // these credentials work, without revealing anything new.
  const login = await postAnonymous("/api/auth/login", { email, password }).then(
    () => true,
    (error) => {
      if (error instanceof ApiError && error.status !== 0) return false;
      throw error;
    },
  );
  if (login) {
    const returnTo = safeReturnTo(formField(form, "returnTo"));
    location.assign(returnTo === "/collections" ? "/collections?welcome=1" : returnTo);
    return { signedIn: true as const };
  }
  return { signedIn: false as const };
}, "signUp");

export const logOut = action(async () => {
  // Whatever the api answers, the person is signed out here; only an unreachable server stops it.
  await apiFetch("/api/auth/logout", { method: "POST", anonymous: true }).catch((error) => {
    if (!(error instanceof ApiError) || error.status === 0) throw error;
  });
  location.assign("/login?signedOut=1");
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
  await postAnonymous("/api/auth/password-reset", { email: formField(form, "email") });
  return { sent: true as const };
}, "requestPasswordReset");

export const confirmPasswordReset = action(async (form: FormData) => {
  const password = formField(form, "password", { trim: false });
  if (password !== formField(form, "confirm", { trim: false })) throw new Error("The two passwords are not the same.");
  await postAnonymous("/api/auth/password-reset/confirm", { token: formField(form, "token"), password });
  return { done: true as const };
}, "confirmPasswordReset");

export const verifyEmail = action(async (token: string) => {
  const response = await postAnonymous("/api/auth/verify-email", { token });
  const body = (await response.json().catch(() => ({}))) as { alreadyVerified?: boolean };
  return { verified: true as const, already: body.alreadyVerified === true };
}, "verifyEmail");

export const resendVerification = action(async () => {
  await apiJson("/api/auth/verify-email/resend", { method: "POST" });
  return { sent: true as const };
}, "resendVerification");

// Account settings (routes/settings/index.tsx).
export const getDeletionSummary = query(async (): Promise<DeletionSummary> => {
  "use server";
  return jsonOrThrow<DeletionSummary>(await apiRequired("/api/auth/me/deletion"));
}, "deletionSummary");

export const saveDisplayName = action(async (form: FormData) => {
  const user = await apiJson<User>("/api/auth/me", withJson("PATCH", { displayName: formField(form, "displayName") }));
  return { saved: user.displayName };
}, "saveDisplayName");

export const changePassword = action(async (form: FormData) => {
  const newPassword = formField(form, "newPassword", { trim: false });
  if (newPassword !== formField(form, "confirm", { trim: false })) throw new Error("The two new passwords are not the same.");
  const currentPassword = formField(form, "currentPassword", { trim: false });
  const body = await apiJson<{ message: string }>(
    "/api/auth/password",
    withJson("POST", currentPassword ? { currentPassword, newPassword } : { newPassword }),
  );
  return { message: body.message };
}, "changePassword");

export const deleteAccount = action(async (proof: { password?: string; email?: string }) => {
  await apiFetch("/api/auth/me", withJson("DELETE", proof));
  location.assign("/login?signedOut=deleted");
  return { deleted: true as const };
}, "deleteAccount");
