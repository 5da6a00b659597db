// Create an account.
import { Title } from "@solidjs/meta";
import { createAsync, type RouteDefinition } from "@solidjs/router";
import AuthCard from "~/components/AuthCard";
import ProviderButtons from "~/components/ProviderButtons";
import SignupForm from "~/components/SignupForm";
import { getProviders } from "~/lib/auth";

export const route = { preload: () => getProviders() } satisfies RouteDefinition;

export default function Signup() {
  const providers = createAsync(() => getProviders());
  return (
    <AuthCard
      title="Create your account"
      lede="Add your first video in a minute. No card needed."
      footer={
        <>
          Already have an account? <a href="/login">Sign in</a>
        </>
      }
    >
      <Title>Sign up — KnowledgeTree</Title>
      <ProviderButtons providers={providers()} returnTo="/collections" />
      <SignupForm />
    </AuthCard>
  );
}
