import { type Static, Type } from "@sinclair/typebox";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { Expr } from "../aggregation/expression/expression-ast.js";
import { parseExpression } from "../aggregation/expression/parse-expression.js";

/** How a condition compares a visitor's field with its value. */
export const ruleOperators = [
  "equals",
  "notEquals",
  "contains",
  "startsWith",
  "greaterThan",
  "lessThan",
  "exists",
] as const;

export type RuleOperator = (typeof ruleOperators)[number];

/** Cairn's own visitor fields (`metadata.auto.*`), as the aggregation's `visitors` source has them. */
export const autoVisitorFields = [
  "accountid",
  "firstvisit",
  "id",
  "lastbrowsername",
  "lastbrowserversion",
  "lastoperatingsystem",
  "lastservername",
  "lastupdated",
  "lastuseragent",
  "lastvisit",
] as const;

export const ruleLimits = { conditions: 20, fieldLength: 200, valueLength: 1000 } as const;

// Bounds here are generous and the operator is any text: checkedRule refuses with messages that name the condition.
export const ruleConditionSchema = Type.Object(
  {
    field: Type.String({
      maxLength: ruleLimits.fieldLength * 2,
      description: "visitorId, metadata.agent.NAME, metadata.custom.NAME or metadata.auto.NAME",
    }),
    operator: Type.String({ maxLength: 100, description: ruleOperators.join(", ") }),
    value: Type.Optional(
      Type.Union([Type.String({ maxLength: ruleLimits.valueLength * 2 }), Type.Number(), Type.Boolean()], {
        description: "what the field is compared with; none for exists",
      }),
    ),
  },
  { additionalProperties: false },
);

export const segmentRuleSchema = Type.Array(ruleConditionSchema, {
  maxItems: ruleLimits.conditions * 5,
  description: "conditions on the visitor's fields, all of which must hold",
});

export type RuleCondition = Static<typeof ruleConditionSchema>;
export type SegmentRule = readonly RuleCondition[];

const metadataName = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function refuse(where: string, problem: string): never {
  throw new CairnError("bad_request", { message: `${where} ${problem}` });
}

function checkedField(where: string, field: unknown): string {
  if (typeof field !== "string" || field === "") return refuse(where, "is missing; name a visitor field.");
  if (field === "visitorId") return field;
  const [root, group, name, ...rest] = field.split(".");
  const shown = JSON.stringify(field.slice(0, ruleLimits.fieldLength));
  const known = "visitorId, metadata.agent.NAME, metadata.custom.NAME or metadata.auto.NAME";
  if (root !== "metadata" || name === undefined || rest.length > 0 || field.length > ruleLimits.fieldLength)
    return refuse(where, `is ${shown}; a visitor field is ${known}.`);
  if (group === "auto") {
    if (!(autoVisitorFields as readonly string[]).includes(name))
      return refuse(where, `is ${shown}; metadata.auto has ${autoVisitorFields.join(", ")}.`);
    return field;
  }
  if (group !== "agent" && group !== "custom")
    return refuse(where, `is ${shown}; a visitor field is ${known}.`);
  if (!metadataName.test(name))
    return refuse(where, `is ${shown}; a metadata field's name is letters, digits, _ and $.`);
  return field;
}

/**
 * Checks a rule strictly: every condition names a known kind of field, one of the operators, and a value of a
 * type that operator takes (none for `exists`). Messages name the condition (`rule[2].operator`).
 */
export function checkedRule(rule: unknown): RuleCondition[] {
  if (!Array.isArray(rule)) return refuse("rule", "must be a list of conditions.");
  if (rule.length === 0) return refuse("rule", "is empty; give at least one condition.");
  if (rule.length > ruleLimits.conditions)
    return refuse("rule", `has ${rule.length} conditions; at most ${ruleLimits.conditions}.`);
  return rule.map((condition: unknown, index): RuleCondition => {
    const where = `rule[${index}]`;
    if (typeof condition !== "object" || condition === null || Array.isArray(condition))
      return refuse(where, 'must be {"field", "operator", "value"}.');
    const { field, operator, value } = condition as Record<string, unknown>;
    const checkedName = checkedField(`${where}.field`, field);
    if (typeof operator !== "string" || !(ruleOperators as readonly string[]).includes(operator))
      return refuse(
        `${where}.operator`,
        `is ${JSON.stringify(operator ?? null)}; it is one of ${ruleOperators.join(", ")}.`,
      );
    const op = operator as RuleOperator;
    if (op === "exists") {
      if (value !== undefined && value !== null)
        return refuse(`${where}.value`, "is given; exists takes none.");
      return { field: checkedName, operator: op };
    }
    if (value === undefined || value === null || value === "")
      return refuse(`${where}.value`, `is missing; ${op} compares with a value.`);
    if (typeof value === "string") {
      if (value.length > ruleLimits.valueLength)
        return refuse(`${where}.value`, `has ${value.length} characters; at most ${ruleLimits.valueLength}.`);
    } else if (typeof value === "number") {
      // The expression language writes numbers in plain decimals; 1e21 and 1e-7 would not read back.
      if (!Number.isFinite(value) || /e/i.test(String(value)))
        return refuse(`${where}.value`, `is ${value}; a number is plain decimal, below 1e21.`);
    } else if (typeof value === "boolean") {
      if (op !== "equals" && op !== "notEquals")
        return refuse(`${where}.value`, `is ${value}; ${op} compares with text or a number.`);
    } else return refuse(`${where}.value`, "must be text, a number or true/false.");
    if ((op === "contains" || op === "startsWith") && typeof value !== "string")
      return refuse(`${where}.value`, `is ${JSON.stringify(value)}; ${op} takes text.`);
    return { field: checkedName, operator: op, value };
  });
}

/** A value as a literal of the expression language: strings double-quoted, `\` and `"` escaped. */
export function literal(value: string | number | boolean): string {
  if (typeof value !== "string") return String(value);
  return `"${value
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/\n/g, "\\n")
    .replace(/\t/g, "\\t")}"`;
}

function conditionText(condition: RuleCondition): string {
  const { field, value } = condition;
  const v = value === undefined ? "null" : literal(value);
  switch (condition.operator as RuleOperator) {
    case "equals":
      return `${field} == ${v}`;
    case "notEquals":
      return `${field} != ${v}`;
    case "contains":
      return `contains(${field}, ${v})`;
    case "startsWith":
      return `startsWith(${field}, ${v})`;
    case "greaterThan":
      return `${field} > ${v}`;
    case "lessThan":
      return `${field} < ${v}`;
    case "exists":
      return `!isNull(${field})`;
  }
}

function literalsOf(expr: Expr, found: unknown[] = []): unknown[] {
  if (expr.kind === "literal") found.push(expr.value);
  else if (expr.kind === "unary" && expr.op === "-" && expr.arg.kind === "literal")
    found.push(-(expr.arg.value as number));
  else if (expr.kind === "unary") literalsOf(expr.arg, found);
  else if (expr.kind === "binary") {
    literalsOf(expr.left, found);
    literalsOf(expr.right, found);
  } else if (expr.kind === "call") for (const arg of expr.args) literalsOf(arg, found);
  return found;
}

/**
 * The aggregation filter of a checked rule: each condition in parentheses, joined with `&&`. It is read back
 * through the expression parser and its literals compared with the values given, so a value can only ever be a
 * value, whatever quotes or operators it holds.
 */
export function ruleFilter(rule: SegmentRule): string {
  const text = rule.map((c) => `(${conditionText(c)})`).join(" && ");
  const values = rule.filter((c) => c.value !== undefined).map((c) => c.value);
  const read = literalsOf(parseExpression(text)).filter((v) => v !== null);
  if (JSON.stringify(read) !== JSON.stringify(values))
    throw new Error(`A segment rule's filter did not read back as written: ${text}`);
  return text;
}
