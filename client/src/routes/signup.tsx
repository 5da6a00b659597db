// Create an account.
import { Title } from "@solidjs/meta";
import { createAsync, useSearchParams, type RouteDefinition } from "@solidjs/router";
import AuthCard from "~/components/AuthCard";
import ProviderButtons from "~/components/ProviderButtons";
import SignupForm from "~/components/SignupForm";
import { getProviders } from "~/lib/auth";
import { safeReturnTo } from "~/lib/format";

export const route = { preload: () => getProviders() } satisfies RouteDefinition;

export default function Signup() {
  const providers = createAsync(() => getProviders());
  // From an invitation: come back to it, with its address filled in.
  const [params] = useSearchParams();
  const returnTo = () => safeReturnTo(typeof params.returnTo === "string" ? params.returnTo : null);
  const email = () => (typeof params.email === "string" ? params.email : "");
  return (
    <AuthCard
      title="Create your account"
      lede="Add your first video in a minute. No card needed."
      footer={
        <>
          Already have an account? <a href={`/login?returnTo=${encodeURIComponent(returnTo())}`}>Sign in</a>
        </>
      }
    >
      <Title>Sign up — KnowledgeTree</Title>
      <ProviderButtons providers={providers()} returnTo={returnTo()} />
      <SignupForm returnTo={returnTo()} email={email()} />
    </AuthCard>
  );
}
