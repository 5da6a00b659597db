// Sharing a collection: members and roles, invitations by email and by link,
// the activity log, leaving, and the invitee's side (a link's preview, joining,
// invitations to your address). Reads on the server as the signed-in user,
// changes from the browser.
import { action, query } from "@solidjs/router";
import type {
  Activity as ActivityView,
  Invitation as InvitationView,
  InvitePreview,
  Invite as InviteView,
  Joined as JoinedView,
  InviteLink as LinkView,
  Member as MemberView,
} from "./types";
import { apiJson, withJson } from "./browserApi";
import { apiOrigin, apiRequired, jsonOrNull, jsonOrThrow } from "./serverApi";

export type { ActivityView, InvitationView, InvitePreview, InviteView, JoinedView, LinkView, MemberView };
export type GrantableRole = "editor" | "viewer";

export const getMembers = query(async (collectionId: string): Promise<MemberView[]> => {
  "use server";
  return jsonOrThrow<MemberView[]>(await apiRequired(`/api/collections/${collectionId}/members`));
}, "members");

/** What only the owner sees: pending invitations, links and the activity log. */
export const getOwnerSharing = query(async (collectionId: string) => {
  "use server";
  const [invites, links, activity] = await Promise.all([
    apiRequired(`/api/collections/${collectionId}/invites`).then((r) => jsonOrThrow<InviteView[]>(r)),
    apiRequired(`/api/collections/${collectionId}/links`).then((r) => jsonOrThrow<LinkView[]>(r)),
    apiRequired(`/api/collections/${collectionId}/activity?limit=30`).then((r) => jsonOrThrow<{ items: ActivityView[] }>(r)),
  ]);
  return { invites, links, activity: activity.items };
}, "ownerSharing");

export const getInvitations = query(async (): Promise<InvitationView[]> => {
  "use server";
  return jsonOrThrow<InvitationView[]>(await apiRequired("/api/invitations"));
}, "invitations");

/** An invitation link's preview (no sign-in needed); null when the token is unknown. */
export const getInvitePreview = query(async (token: string): Promise<InvitePreview | null> => {
  "use server";
  // Public: it answers the same signed in or not.
  return jsonOrNull<InvitePreview>(
    await fetch(`${apiOrigin()}/api/join/${encodeURIComponent(token)}`, { headers: { accept: "application/json" } }),
  );
}, "invitePreview");

// Each action revalidates the page's queries when it finishes (the router's default).
const base = (collectionId: string) => `/api/collections/${collectionId}`;

export const inviteByEmail = action(async (collectionId: string, emails: string[], role: GrantableRole) => {
  const created = await apiJson<{ invites: InviteView[]; alreadyMembers: string[] }>(
    `${base(collectionId)}/invites`,
    withJson("POST", { emails, role }),
  );
  return created;
}, "inviteByEmail");

export const resendInvite = action(async (collectionId: string, inviteId: string) => {
  await apiJson(`${base(collectionId)}/invites/${inviteId}/resend`, { method: "POST" });
}, "resendInvite");

export const revokeInvite = action(async (collectionId: string, inviteId: string) => {
  await apiJson(`${base(collectionId)}/invites/${inviteId}`, { method: "DELETE" });
}, "revokeInvite");

export const createLink = action(async (collectionId: string, input: { role: GrantableRole; expiresInDays?: number; maxUses?: number }) => {
  const link = await apiJson<LinkView & { url: string }>(`${base(collectionId)}/links`, withJson("POST", input));
  return link;
}, "createLink");

export const revokeLink = action(async (collectionId: string, linkId: string) => {
  await apiJson(`${base(collectionId)}/links/${linkId}`, { method: "DELETE" });
}, "revokeLink");

export const changeRole = action(async (collectionId: string, userId: string, role: GrantableRole) => {
  await apiJson(`${base(collectionId)}/members/${userId}`, withJson("PATCH", { role }));
}, "changeRole");

export const removeMember = action(async (collectionId: string, userId: string) => {
  await apiJson(`${base(collectionId)}/members/${userId}`, { method: "DELETE" });
}, "removeMember");

export const transferOwnership = action(async (collectionId: string, userId: string) => {
  await apiJson(`${base(collectionId)}/transfer`, withJson("POST", { userId }));
  // Your role changed: every part of the page that depends on it reloads.
  location.reload();
}, "transferOwnership");

export const leaveCollection = action(async (collectionId: string) => {
  await apiJson(`${base(collectionId)}/leave`, { method: "POST" });
  location.assign("/collections");
}, "leaveCollection");

/** Joins with an invitation link and opens the collection (a full load: the header and lists change). */
export const joinWithToken = action(async (token: string) => {
  const joined = await apiJson<JoinedView>(`/api/join/${encodeURIComponent(token)}`, { method: "POST" });
  location.assign(`/collections/${joined.collectionId}`);
  return joined;
}, "joinWithToken");

export const answerInvitation = action(async (id: string, answer: "accept" | "decline") => {
  const joined = await apiJson<JoinedView | undefined>(`/api/invitations/${id}/${answer}`, { method: "POST" });
  if (joined) location.assign(`/collections/${joined.collectionId}`);
  return joined ?? null;
}, "answerInvitation");
