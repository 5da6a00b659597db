// Billing history from Stripe, each invoice linked to its hosted page and PDF.
import { For, Show } from "solid-js";
import { formatPrice, type Invoice } from "~/lib/billing";

export default function InvoiceList(props: { invoices: Invoice[] }) {
  return (
    <Show when={props.invoices.length} fallback={<p class="muted">No invoices yet.</p>}>
      <table class="invoice-list">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Invoice</th>
            <th scope="col">Amount</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.invoices}>
            {(i) => (
              <tr>
                <td>{new Date(i.createdAt).toLocaleDateString("en-US", { timeZone: "UTC" })}</td>
                <td>
                  <Show when={i.hostedUrl} fallback={i.number ?? i.id}>
                    <a href={i.hostedUrl!} rel="noopener noreferrer" target="_blank">
                      {i.number ?? i.id}
                    </a>
                  </Show>
                  <Show when={i.pdfUrl}>
                    {" "}
                    <a href={i.pdfUrl!} rel="noopener noreferrer" class="muted">
                      PDF
                    </a>
                  </Show>
                </td>
                <td>{formatPrice(i.totalCents, i.currency)}</td>
                <td>{i.status ?? "—"}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </Show>
  );
}
