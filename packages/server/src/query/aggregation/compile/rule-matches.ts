import { addCte, bind } from "./relation.js";
import type { PipelineContext } from "./source-context.js";

/** Something matched by rules: any `include` rule whose regexes all match, and no such `exclude` rule. */
export interface RuleSubject {
  readonly id: string;
  readonly appId: string;
  readonly include: readonly (readonly string[])[];
  readonly exclude: readonly (readonly string[])[];
}

/**
 * Which subjects each distinct value matches: a CTE of `(app_id, value, subject_id)` from `values` (a CTE of
 * distinct `(app_id, value)`). The rules are a table joined to the values, so each regex runs once per
 * distinct value and rule — and the engine cannot move the matching below the DISTINCT, onto every row.
 */
export function ruleMatches(ctx: PipelineContext, values: string, subjects: readonly RuleSubject[]): string {
  const d = ctx.dialect;
  const str = (v: string) => d.param(bind(ctx.state, v), "string");
  const rows: string[] = [];
  let ruleNo = 0;
  for (const s of subjects) {
    for (const [kind, rules] of [
      ["include", s.include],
      ["exclude", s.exclude],
    ] as const) {
      for (const all of rules) {
        ruleNo++;
        for (const pattern of all)
          rows.push(
            `SELECT ${str(s.id)} AS subject_id, ${str(s.appId)} AS app_id, ${str(kind)} AS kind, ${d.number(ruleNo)} AS rule_no, ${str(pattern)} AS pattern`,
          );
      }
    }
  }
  if (rows.length === 0)
    return addCte(
      ctx.state,
      `SELECT ${d.nullOf("string")} AS app_id, ${d.nullOf("string")} AS value, ${d.nullOf("string")} AS subject_id WHERE FALSE`,
    );
  const rules = addCte(ctx.state, rows.join(" UNION ALL "));
  const hits = addCte(
    ctx.state,
    `SELECT v.app_id, v.value, x.subject_id, x.kind FROM ${values} v JOIN ${rules} x ON x.app_id = v.app_id
     GROUP BY v.app_id, v.value, x.subject_id, x.kind, x.rule_no
     HAVING min(CASE WHEN coalesce(${d.regexMatches("v.value", "x.pattern")}, FALSE) THEN 1 ELSE 0 END) = 1`,
  );
  return addCte(
    ctx.state,
    `SELECT app_id, value, subject_id FROM ${hits} GROUP BY app_id, value, subject_id
     HAVING max(CASE WHEN kind = 'include' THEN 1 ELSE 0 END) = 1 AND max(CASE WHEN kind = 'exclude' THEN 1 ELSE 0 END) = 0`,
  );
}
