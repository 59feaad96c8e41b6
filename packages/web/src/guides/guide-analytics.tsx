import { useQuery } from "@tanstack/react-query";
import { aggregate, dayMs } from "../analytics/aggregate.ts";
import { Panel } from "../ui/page.tsx";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { QueryView } from "../ui/states.tsx";
import type { Guide } from "./guide-queries.ts";
import { npsOf, type PollAnswerRow, pollCounts, type StepEventRow, stepStats } from "./guide-stats.ts";

const numbers = new Intl.NumberFormat();

/** Every event of the guide since the day it was made, and each visitor's latest poll answers. */
async function guideNumbers(guide: Guide) {
  const first = Math.floor(guide.createdAt / dayMs) * dayMs;
  const [steps, polls] = await Promise.all([
    aggregate<StepEventRow>([
      {
        source: {
          guideEvents: { guideId: guide.id, appId: 'expandAppIds("*")', blacklist: "apply" },
          timeSeries: { period: "dayRange", first, last: "now()" },
        },
      },
      { group: { group: ["guideStepId", "type"], fields: { visitors: { count: "visitorId" } } } },
    ]),
    guide.polls.length === 0
      ? Promise.resolve([])
      : aggregate<PollAnswerRow>([
          {
            source: { pollsSeenEver: { guideId: guide.id, appId: 'expandAppIds("*")', blacklist: "apply" } },
          },
          { group: { group: ["pollId", "response"], fields: { visitors: { count: "visitorId" } } } },
        ]),
  ]);
  return { steps, polls };
}

function Bars(props: { rows: { answer: string; visitors: number }[]; label: string }) {
  const most = Math.max(1, ...props.rows.map((r) => r.visitors));
  return (
    <ul className="bars poll-bars" aria-label={props.label}>
      {props.rows.map((row) => (
        <li key={row.answer}>
          <span>{row.answer}</span>
          <span className="bar" style={{ width: `${(row.visitors / most) * 100}%` }} />
          <span className="bar-value">{numbers.format(row.visitors)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The guide page's numbers: per step, visitors who saw, advanced and dismissed it; per poll, the answers. */
export function GuideAnalytics(props: { guide: Guide }) {
  const { guide } = props;
  const query = useQuery({
    queryKey: ["aggregation", "guide", guide.id, guide.lastUpdatedAt],
    queryFn: () => guideNumbers(guide),
  });
  return (
    <Panel title="Guide analytics">
      <QueryView query={query} what="the guide's numbers">
        {(data) => {
          const stats = stepStats(
            guide.steps.map((s) => s.id),
            data.steps,
          );
          return (
            <>
              <ScrollRegion label="Steps">
                <table>
                  <caption className="muted">Distinct visitors since the guide was made</caption>
                  <thead>
                    <tr>
                      <th scope="col">Step</th>
                      <th scope="col">Seen</th>
                      <th scope="col">Advanced</th>
                      <th scope="col">Dismissed</th>
                    </tr>
                  </thead>
                  <tbody>
                    {guide.steps.map((step, i) => {
                      const s = stats.get(step.id);
                      return (
                        <tr key={step.id}>
                          <td>
                            {i + 1}. {step.type}
                          </td>
                          <td>{numbers.format(s?.seen ?? 0)}</td>
                          <td>{numbers.format(s?.advanced ?? 0)}</td>
                          <td>{numbers.format(s?.dismissed ?? 0)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </ScrollRegion>
              {guide.polls.map((poll) => {
                const counts = pollCounts(poll, data.polls);
                const nps = poll.type === "nps" ? npsOf(counts) : null;
                const answered = counts.reduce((sum, c) => sum + c.visitors, 0);
                return (
                  <section key={poll.id} className="poll-results" aria-label={`Poll ${poll.question}`}>
                    <h3>{poll.question}</h3>
                    <p className="muted">
                      {numbers.format(answered)} visitor{answered === 1 ? "" : "s"} answered (each visitor's
                      latest answer).
                    </p>
                    {nps ? (
                      <p className="nps" data-testid="nps">
                        NPS <strong>{nps.score === null ? "–" : nps.score}</strong>{" "}
                        <span className="muted">
                          ({numbers.format(nps.promoters)} promoters, {numbers.format(nps.passives)} passives,{" "}
                          {numbers.format(nps.detractors)} detractors)
                        </span>
                      </p>
                    ) : null}
                    {poll.type === "freeText" && counts.length === 0 ? (
                      <p className="muted">No answers yet.</p>
                    ) : (
                      <Bars
                        rows={
                          counts.length > 0
                            ? counts
                            : [
                                { answer: "Yes", visitors: 0 },
                                { answer: "No", visitors: 0 },
                              ]
                        }
                        label={poll.question}
                      />
                    )}
                  </section>
                );
              })}
            </>
          );
        }}
      </QueryView>
    </Panel>
  );
}
