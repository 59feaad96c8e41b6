import type { SqlDialect } from "../../../store/events/sql-dialect.js";
import type { Relation } from "./relation.js";

/**
 * ORDER BY for a relation: its order terms, then every other field as a tie-breaker, so identical requests
 * give identical pages. Nulls sort first ascending (null is the smallest value).
 */
export function orderBy(d: SqlDialect, relation: Relation, prefix = ""): string {
  const terms: string[] = [];
  const used = new Set<string>();
  for (const term of relation.order) {
    if (used.has(term.field) || !relation.fields.some((f) => f.name === term.field)) continue;
    used.add(term.field);
    terms.push(`${prefix}${d.ident(term.field)} ${term.descending ? "DESC NULLS LAST" : "ASC NULLS FIRST"}`);
  }
  for (const field of relation.fields) {
    if (used.has(field.name)) continue;
    const column = `${prefix}${d.ident(field.name)}`;
    const key = field.type.t === "any" || field.type.t === "object" ? d.jsonSerialize(column) : column;
    terms.push(`${key} ASC NULLS FIRST`);
  }
  return terms.length > 0 ? terms.join(", ") : "1";
}
