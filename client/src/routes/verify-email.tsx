// Landing page of the verification email link.
import { Title } from "@solidjs/meta";
import { useSearchParams } from "@solidjs/router";
import AuthCard from "~/components/AuthCard";
import VerifyEmailPanel from "~/components/VerifyEmailPanel";

export default function VerifyEmail() {
  const [params] = useSearchParams();
  return (
    <AuthCard title="Confirm your email">
      <Title>Confirm your email — KnowledgeTree</Title>
      <VerifyEmailPanel token={typeof params.token === "string" ? params.token : ""} />
    </AuthCard>
  );
}
