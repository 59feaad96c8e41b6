import type { AdminBody } from "@cairn/client/session";

export type RuleCondition = NonNullable<AdminBody<"/api/admin/segments", "post">["rule"]>[number];

export type Operator =
  | "equals"
  | "notEquals"
  | "contains"
  | "startsWith"
  | "greaterThan"
  | "lessThan"
  | "exists";

export const operatorLabels: Readonly<Record<Operator, string>> = {
  equals: "equals",
  notEquals: "does not equal",
  contains: "contains",
  startsWith: "starts with",
  greaterThan: "is greater than",
  lessThan: "is less than",
  exists: "has a value",
};

/** One row of the builder as typed: the value is text until it is sent. */
export interface RuleRow {
  readonly key: number;
  readonly field: string;
  readonly operator: Operator;
  readonly value: string;
}

/**
 * The rule the API takes from the rows: blank rows left out; a value that reads as a number is sent as one for
 * the comparisons (and for equals on a number field, where text would compare as text), true/false as booleans
 * for equals and does-not-equal on a boolean field.
 */
export function ruleOf(
  rows: readonly RuleRow[],
  types: ReadonlyMap<string, string> = new Map(),
): RuleCondition[] {
  return rows
    .filter((row) => row.field.trim() !== "" && (row.operator === "exists" || row.value !== ""))
    .map((row) => {
      const field = row.field.trim();
      if (row.operator === "exists") return { field, operator: row.operator };
      const type = types.get(field) ?? "";
      const numeric = /^-?\d+(\.\d+)?$/.test(row.value.trim());
      const wantsNumber =
        row.operator === "greaterThan" ||
        row.operator === "lessThan" ||
        ((row.operator === "equals" || row.operator === "notEquals") &&
          (type === "integer" || type === "float" || type === "time"));
      if (wantsNumber && numeric) return { field, operator: row.operator, value: Number(row.value.trim()) };
      if (type === "boolean" && (row.value === "true" || row.value === "false"))
        return { field, operator: row.operator, value: row.value === "true" };
      return { field, operator: row.operator, value: row.value };
    });
}

/** A rule as one line of text: `metadata.custom.plan equals "pro" and …`. */
export function ruleText(rule: readonly RuleCondition[]): string {
  return rule
    .map((c) => {
      const label = operatorLabels[c.operator as Operator] ?? c.operator;
      if (c.value === undefined) return `${c.field} ${label}`;
      return `${c.field} ${label} ${typeof c.value === "string" ? JSON.stringify(c.value) : String(c.value)}`;
    })
    .join(" and ");
}
