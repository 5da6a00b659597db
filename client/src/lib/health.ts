// The api's readiness, read on the server from /readyz.
import { query } from "@solidjs/router";
import { getRequestEvent } from "solid-js/web";

export type Readiness = { state: "ready" } | { state: "unavailable"; reason: string };

const READYZ_TIMEOUT_MS = 2_000;

// Pages and api share one origin, so by default we call back into the process
// that is rendering this page. KT_INTERNAL_API_URL overrides it (set it in
// production so the call stays on loopback and ignores the Host header).
function apiOrigin(): string {
  const configured = process.env.KT_INTERNAL_API_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const event = getRequestEvent();
  if (!event) throw new Error("getReadiness needs a request (server-side only)");
  return new URL(event.request.url).origin;
}

// /readyz answers {"status":"ready"} (200) or {"status":"unavailable","reason"} (503).
function parseReadyz(body: unknown, httpStatus: number): Readiness {
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  if (httpStatus === 200 && fields.status === "ready") return { state: "ready" };
  const reason = typeof fields.reason === "string" && fields.reason.length > 0 ? fields.reason : `the api answered HTTP ${httpStatus}`;
  return { state: "unavailable", reason };
}

export const getReadiness = query(async (): Promise<Readiness> => {
  "use server";
  try {
    const response = await fetch(`${apiOrigin()}/readyz`, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(READYZ_TIMEOUT_MS),
    });
    const body: unknown = await response.json().catch(() => null);
    return parseReadyz(body, response.status);
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    return {
      state: "unavailable",
      reason: timedOut ? "the api did not answer in time" : "the api could not be reached",
    };
  }
}, "readiness");
