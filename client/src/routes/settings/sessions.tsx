// Where you are signed in.
import { Title } from "@solidjs/meta";
import { createAsync, type RouteDefinition } from "@solidjs/router";
import { Show } from "solid-js";
import SessionList from "~/components/SessionList";
import { getSessions } from "~/lib/auth";

export const route = { preload: () => getSessions() } satisfies RouteDefinition;

export default function Sessions() {
  const sessions = createAsync(() => getSessions());
  return (
    <section class="container page" aria-labelledby="sessions-title">
      <Title>Sessions — KnowledgeTree</Title>
      <header class="page__header">
        <div>
          <h1 id="sessions-title">Sessions</h1>
          <p class="page__lede">Devices signed in to your account. Sign out any you do not recognise.</p>
        </div>
      </header>
      <Show when={sessions()}>{(list) => <SessionList sessions={list()} />}</Show>
    </section>
  );
}
