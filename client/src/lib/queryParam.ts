// One query parameter of the current URL, reactive. Read through
// location.search rather than useSearchParams(): the router's per-key memos
// are created lazily and, after a client-side navigation that dropped the key
// (`?c=` → none), kept the old value.
import { useLocation } from "@solidjs/router";

export function useQueryParam(name: string): () => string | null {
  const location = useLocation();
  return () => new URLSearchParams(location.search).get(name) || null;
}
