// Who is signed in, read on the server from the session cookies.
import { query } from "@solidjs/router";
import { apiAsUser } from "./serverApi";
import type { User } from "./types";

/** The signed-in user, or null (never redirects: for the header and public pages). */
export const getCurrentUser = query(async (): Promise<User | null> => {
  "use server";
  const response = await apiAsUser("/api/auth/me");
  if (!response || !response.ok) return null;
  return (await response.json()) as User;
}, "currentUser");
