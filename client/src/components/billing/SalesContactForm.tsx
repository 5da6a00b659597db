// The Enterprise enquiry: emailed to the operator's sales address.
import { useSubmission } from "@solidjs/router";
import { Show } from "solid-js";
import { contactSales } from "~/lib/billing";
import { messageOf } from "~/lib/problem";

export default function SalesContactForm() {
  const sent = useSubmission(contactSales);
  return (
    <section id="contact" class="card" aria-labelledby="contact-title">
      <h2 id="contact-title">Talk to us about Enterprise</h2>
      <Show when={!sent.result} fallback={<p class="notice notice--ok">Thank you — we will write back soon.</p>}>
        <form class="form" action={contactSales} method="post">
          <div class="field">
            <label for="contact-name">Name</label>
            <input id="contact-name" name="name" required maxlength="200" autocomplete="name" />
          </div>
          <div class="field">
            <label for="contact-email">Email</label>
            <input id="contact-email" name="email" type="email" required maxlength="320" autocomplete="email" />
          </div>
          <div class="field">
            <label for="contact-company">
              Company <span class="field__optional">(optional)</span>
            </label>
            <input id="contact-company" name="company" maxlength="200" autocomplete="organization" />
          </div>
          <div class="field">
            <label for="contact-message">What do you need?</label>
            <textarea id="contact-message" name="message" required maxlength="5000" rows="4" />
          </div>
          <Show when={sent.error}>
            <p class="form-error" role="alert">
              {messageOf(sent.error)}
            </p>
          </Show>
          <button class="button" type="submit" disabled={sent.pending}>
            Send
          </button>
        </form>
      </Show>
    </section>
  );
}
