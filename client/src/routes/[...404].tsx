// Anything no other route matches.
import NotFoundPanel from "~/components/NotFoundPanel";

export default function NotFound() {
  return <NotFoundPanel />;
}
