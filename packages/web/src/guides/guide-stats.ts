// The guide page's numbers, from the aggregation's rows: pure functions, so the math has its test.

export interface StepEventRow {
  readonly guideStepId: string | null;
  readonly type: string;
  readonly visitors: number;
}

export interface StepStats {
  readonly seen: number;
  readonly advanced: number;
  readonly dismissed: number;
}

/** Distinct visitors who saw, advanced and dismissed each step, in the steps' order (zero for no events). */
export function stepStats(stepIds: readonly string[], rows: readonly StepEventRow[]): Map<string, StepStats> {
  const stats = new Map(stepIds.map((id) => [id, { seen: 0, advanced: 0, dismissed: 0 }]));
  for (const row of rows) {
    const step = row.guideStepId === null ? undefined : stats.get(row.guideStepId);
    if (!step) continue;
    if (row.type === "guideSeen") step.seen += row.visitors;
    else if (row.type === "guideAdvanced") step.advanced += row.visitors;
    else if (row.type === "guideDismissed") step.dismissed += row.visitors;
  }
  return stats;
}

export interface PollAnswerRow {
  readonly pollId: string;
  readonly response: unknown;
  readonly visitors: number;
}

/** A response as shown and counted: numbers and text as they are, anything else as JSON. */
function answerText(response: unknown): string {
  if (typeof response === "string") return response;
  if (typeof response === "number" || typeof response === "boolean") return String(response);
  return JSON.stringify(response) ?? "";
}

/**
 * Visitors per answer of one poll (each visitor's latest answer). The poll's own answers come first, in their
 * order, even when nobody gave them (0–10 for NPS, the choices of a multiple choice); others follow, most first.
 */
export function pollCounts(
  poll: { id: string; type: string; choices: readonly string[] },
  rows: readonly PollAnswerRow[],
): { answer: string; visitors: number }[] {
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (row.pollId !== poll.id || row.response === null || row.response === undefined) continue;
    const answer = answerText(row.response);
    counts.set(answer, (counts.get(answer) ?? 0) + row.visitors);
  }
  const known =
    poll.type === "nps"
      ? Array.from({ length: 11 }, (_, i) => String(i))
      : poll.type === "multipleChoice"
        ? [...poll.choices]
        : [];
  const first = known.map((answer) => ({ answer, visitors: counts.get(answer) ?? 0 }));
  const rest = [...counts]
    .filter(([answer]) => !known.includes(answer))
    .map(([answer, visitors]) => ({ answer, visitors }))
    .sort((a, b) => b.visitors - a.visitors || a.answer.localeCompare(b.answer));
  return [...first, ...rest];
}

export interface Nps {
  /** % promoters − % detractors, −100 to 100, rounded; null with no answers. */
  readonly score: number | null;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  readonly total: number;
  /** Visitors per score, 0 to 10. */
  readonly distribution: number[];
}

/** The Net Promoter Score of 0–10 answers: promoters answer 9–10, detractors 0–6. Other answers are left out. */
export function npsOf(answers: readonly { answer: string; visitors: number }[]): Nps {
  const distribution = Array.from({ length: 11 }, () => 0);
  for (const { answer, visitors } of answers) {
    const score = Number(answer);
    if (answer.trim() !== "" && Number.isInteger(score) && score >= 0 && score <= 10)
      distribution[score] = (distribution[score] ?? 0) + visitors;
  }
  const sum = (from: number, to: number) => distribution.slice(from, to + 1).reduce((a, b) => a + b, 0);
  const detractors = sum(0, 6);
  const passives = sum(7, 8);
  const promoters = sum(9, 10);
  const total = detractors + passives + promoters;
  return {
    score: total === 0 ? null : Math.round(((promoters - detractors) / total) * 100),
    promoters,
    passives,
    detractors,
    total,
    distribution,
  };
}
