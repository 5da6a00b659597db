// Shapes the api returns, taken from the server's route schemas (server/*/model.ts)
// with `import type` through the one `@server/*` alias: nothing of the server
// reaches the bundle, and a field added to a schema reaches every component.
export type {
  ArtifactKind,
  ArtifactVersionView as ArtifactVersion,
  ArtifactView as ArtifactSummary,
  ArtifactWithVersions as Artifact,
} from "@server/artifacts/model.ts";
export type { ApiKeyView as ApiKey } from "@server/apiKeys/model.ts";
export type { DeletionSummary, ProviderView as Provider, SessionView as Session, UserView as User } from "@server/auth/model.ts";
export type {
  AnswerOptionsView as AnswerOptions,
  AnswerSettingsView as AnswerSettings,
  ConversationPage,
  ConversationSearchHit,
  ConversationView as Conversation,
  ConversationWithMessages,
  MessageView as Message,
} from "@server/chat/model.ts";
export type { CollectionView as Collection } from "@server/collections/model.ts";
export type { SourceView as Source } from "@server/generation/model.ts";
export type {
  ActivityView as Activity,
  InvitationView as Invitation,
  InvitePreview,
  InviteView as Invite,
  JoinedView as Joined,
  LinkView as InviteLink,
  MemberView as Member,
} from "@server/sharing/model.ts";
export type { Hit as SearchHit } from "@server/retrieval/model.ts";
export type { SegmentView as Segment, VideoStatus, VideoView as Video } from "@server/videos/model.ts";
export type { Capabilities } from "@server/capabilities/model.ts";
