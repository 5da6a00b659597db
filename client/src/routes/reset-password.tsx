// Password reset: ask for a link, or (with ?token=) choose a new password.
import { Title } from "@solidjs/meta";
import { useSearchParams } from "@solidjs/router";
import { Show } from "solid-js";
import AuthCard from "~/components/AuthCard";
import ResetConfirmForm from "~/components/ResetConfirmForm";
import ResetRequestForm from "~/components/ResetRequestForm";

export default function ResetPassword() {
  const [params] = useSearchParams();
  const token = () => (typeof params.token === "string" ? params.token : "");
  return (
    <Show
      when={token()}
      fallback={
        <AuthCard
          title="Reset your password"
          lede="We will email you a link to choose a new one."
          footer={<a href="/login">Back to sign in</a>}
        >
          <Title>Reset your password — KnowledgeTree</Title>
          <ResetRequestForm />
        </AuthCard>
      }
    >
      <AuthCard title="Choose a new password">
        <Title>Choose a new password — KnowledgeTree</Title>
        <ResetConfirmForm token={token()} />
      </AuthCard>
    </Show>
  );
}
