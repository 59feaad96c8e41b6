import { Link, useParams } from "wouter";
import { atLeast, useSession } from "../api/session.tsx";
import { Page, Panel } from "../ui/page.tsx";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { Empty, QueryView } from "../ui/states.tsx";
import { Time } from "../ui/time.tsx";
import { GuideAnalytics } from "./guide-analytics.tsx";
import { GuideEditor, stateLabels } from "./guide-editor.tsx";
import { useGuide, useGuides } from "./guide-queries.ts";

const launchShort = { auto: "automatic", badge: "badge", dom: "on click", api: "from code" } as const;

/** Guides: every guide with its state, how it is shown, its steps and its last change. */
export function GuidesList() {
  const session = useSession();
  const guides = useGuides();
  return (
    <Page
      title="Guides"
      intro="In-app guides: lightboxes, tooltips and banners, shown to the visitors and on the pages you choose."
      actions={atLeast(session, "member") ? <Link href="/guides/new">+ New guide</Link> : undefined}
    >
      <Panel title="All guides">
        <QueryView query={guides} what="guides">
          {(list) =>
            list.length === 0 ? (
              <Empty title="No guides yet.">
                <p>Create a guide, stage it for a few test visitors, then publish it.</p>
              </Empty>
            ) : (
              <ScrollRegion label="Guides">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">State</th>
                      <th scope="col">Shown</th>
                      <th scope="col">Steps</th>
                      <th scope="col">Updated</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((guide) => (
                      <tr key={guide.id}>
                        <td>
                          <Link href={`/guides/${guide.id}`}>{guide.name}</Link>
                        </td>
                        <td>
                          <span className={`badge state-${guide.state}`}>{stateLabels[guide.state]}</span>
                        </td>
                        <td>{launchShort[guide.launchMethod]}</td>
                        <td>{guide.steps.length}</td>
                        <td>
                          <Time at={guide.lastUpdatedAt} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            )
          }
        </QueryView>
      </Panel>
    </Page>
  );
}

export function NewGuide() {
  return (
    <Page title="New guide" intro={<Link href="/guides">← Guides</Link>}>
      <GuideEditor />
    </Page>
  );
}

export function EditGuide() {
  const { id = "" } = useParams<{ id: string }>();
  const guide = useGuide(id);
  return (
    <QueryView query={guide} what="the guide">
      {(found) => (
        <Page title={found.name} intro={<Link href="/guides">← Guides</Link>}>
          <GuideEditor key={found.id} existing={found} />
          <GuideAnalytics guide={found} />
        </Page>
      )}
    </QueryView>
  );
}
