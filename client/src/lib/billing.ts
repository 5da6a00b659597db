// Plans, usage and billing: read on the server for pages, changed from the
// browser (Checkout and the Portal are Stripe pages the browser is sent to).
import { action, query } from "@solidjs/router";
import { apiJson, formField, withJson } from "./browserApi";
import { apiAsUser, apiOrigin, apiRequired, jsonOrThrow } from "./serverApi";

export type Limits = {
  videos: number | null;
  minutes: number | null;
  messages: number | null;
  storageBytes: number | null;
  membersPerCollection: number | null;
};
export type PlanOffer = {
  id: string;
  name: string;
  description: string;
  monthlyCents: number;
  yearlyCents: number;
  contactSales: boolean;
  limits: Limits;
};
export type Catalogue = { billingEnabled: boolean; currency: string; defaultPlan: string; salesContact: boolean; plans: PlanOffer[] };
export type Usage = {
  dimension: "videos" | "minutes" | "messages" | "storage_bytes";
  used: number;
  limit: number | null;
  granted: number;
  percent: number | null;
  resetsAt: string | null;
  overLimit: boolean;
};
export type Banner = { kind: "past_due"; graceEndsAt: string } | { kind: "lapsed" } | { kind: "over_limit"; dimensions: string[] } | null;
export type BillingSummary = {
  billingEnabled: boolean;
  plan: { id: string; name: string; membersPerCollection: number | null };
  source: "default" | "stripe" | "manual";
  status: string | null;
  interval: "month" | "year" | null;
  periodStart: string;
  periodEnd: string;
  cancelAtPeriodEnd: boolean;
  canManageBilling: boolean;
  banner: Banner;
  usage: Usage[];
  daily: { day: string; dimension: string; amount: number }[];
};
export type Invoice = {
  id: string;
  number: string | null;
  status: string | null;
  totalCents: number;
  currency: string;
  createdAt: string;
  hostedUrl: string | null;
  pdfUrl: string | null;
};

export const getCatalogue = query(async (): Promise<Catalogue> => {
  "use server";
  return jsonOrThrow<Catalogue>(await fetch(`${apiOrigin()}/api/billing/plans`));
}, "billingCatalogue");

/** Null when signed out (the pricing page is public). */
export const getBillingIfSignedIn = query(async (): Promise<BillingSummary | null> => {
  "use server";
  const response = await apiAsUser("/api/billing");
  return response?.ok ? ((await response.json()) as BillingSummary) : null;
}, "billingSummaryOptional");

export const getBilling = query(async (): Promise<BillingSummary> => {
  "use server";
  return jsonOrThrow<BillingSummary>(await apiRequired("/api/billing"));
}, "billingSummary");

export const getInvoices = query(async (): Promise<Invoice[]> => {
  "use server";
  return jsonOrThrow<Invoice[]>(await apiRequired("/api/billing/invoices"));
}, "billingInvoices");

/** Sends the browser to Stripe Checkout for a plan. */
export const startCheckout = action(async (plan: string, interval: "month" | "year") => {
  const { url } = await apiJson<{ url: string }>("/api/billing/checkout", withJson("POST", { plan, interval }));
  window.location.assign(url);
}, "startCheckout");

/** Sends the browser to the Stripe Customer Portal. */
export const openPortal = action(async () => {
  const { url } = await apiJson<{ url: string }>("/api/billing/portal", { method: "POST" });
  window.location.assign(url);
}, "openPortal");

export const contactSales = action(async (form: FormData) => {
  const field = (name: string) => formField(form, name);
  const body = { name: field("name"), email: field("email"), company: field("company") || undefined, message: field("message") };
  if (!body.name || !body.email || !body.message) throw new Error("Give your name, your email and a message.");
  await apiJson("/api/billing/contact", withJson("POST", body));
  return { sent: true };
}, "contactSales");

const BYTE_UNITS = ["B", "KB", "MB", "GB", "TB"];
export function formatLimit(dimension: Usage["dimension"] | "members", value: number | null): string {
  if (value === null) return "Unlimited";
  if (dimension !== "storage_bytes") return value.toLocaleString("en-US");
  let n = value;
  let unit = 0;
  while (n >= 1024 && unit < BYTE_UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${Number.isInteger(n) ? n : n.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

export const DIMENSION_LABELS: Record<Usage["dimension"], string> = {
  videos: "Videos",
  minutes: "Transcription minutes",
  messages: "Chat messages",
  storage_bytes: "Storage",
};

export function formatPrice(cents: number, currency: string): string {
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: currency.toUpperCase(),
    maximumFractionDigits: cents % 100 ? 2 : 0,
  }).format(cents / 100);
}
