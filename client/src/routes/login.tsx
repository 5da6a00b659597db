// Sign in with email and password (or a configured provider).
import { Title } from "@solidjs/meta";
import { createAsync, useSearchParams, type RouteDefinition } from "@solidjs/router";
import { Show } from "solid-js";
import AuthCard from "~/components/AuthCard";
import LoginForm from "~/components/LoginForm";
import ProviderButtons from "~/components/ProviderButtons";
import { getProviders } from "~/lib/auth";
import { safeReturnTo } from "~/lib/format";

export const route = { preload: () => getProviders() } satisfies RouteDefinition;

export default function Login() {
  const providers = createAsync(() => getProviders());
  const [params] = useSearchParams();
  const returnTo = () => safeReturnTo(typeof params.returnTo === "string" ? params.returnTo : null);
  return (
    <AuthCard
      title="Sign in"
      lede="Welcome back. Your collections are where you left them."
      footer={
        <>
          New here? <a href="/signup">Create an account</a>
        </>
      }
    >
      <Title>Sign in — KnowledgeTree</Title>
      <Show when={params.signedOut}>
        <p class="notice notice--ok" role="status" data-testid="signed-out">
          {params.signedOut === "all"
            ? "You are signed out on every device."
            : params.signedOut === "deleted"
              ? "Your account and everything it owned are deleted."
              : "You are signed out."}
        </p>
      </Show>
      <ProviderButtons providers={providers()} returnTo={returnTo()} />
      <LoginForm returnTo={returnTo()} />
    </AuthCard>
  );
}
