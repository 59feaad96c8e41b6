import { Link } from "wouter";
import { Page } from "../ui/page.tsx";

export function NotFound() {
  return (
    <Page title="Nothing here">
      <p>
        This address is not a screen of Cairn. <Link href="/">Go to the dashboard</Link>.
      </p>
    </Page>
  );
}
