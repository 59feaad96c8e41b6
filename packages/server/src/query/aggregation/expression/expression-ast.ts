/** A parsed expression of Pendo's aggregation language (filter, eval, select, aggregator arguments, times). */
export type Expr =
  | { readonly kind: "literal"; readonly value: string | number | boolean | null }
  /** A field by its dotted path; a number segment indexes a list (`polls[0].id` → ["polls", 0, "id"]). */
  | { readonly kind: "field"; readonly path: readonly (string | number)[] }
  | { readonly kind: "unary"; readonly op: "!" | "-"; readonly arg: Expr }
  | { readonly kind: "binary"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly Expr[] };

export type BinaryOp = "||" | "&&" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%";

/** A field path as written: `polls[0].id`. */
export function pathText(path: readonly (string | number)[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? segment : `.${segment}`;
  }
  return text;
}
