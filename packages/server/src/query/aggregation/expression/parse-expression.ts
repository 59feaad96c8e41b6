import type { BinaryOp, Expr } from "./expression-ast.js";

/** A malformed expression, with the position (0-based) where reading it failed. */
export class ExpressionSyntaxError extends Error {
  constructor(
    readonly source: string,
    readonly position: number,
    problem: string,
  ) {
    super(`${problem} at character ${position + 1} of ${JSON.stringify(source)}`);
    this.name = "ExpressionSyntaxError";
  }
}

type Token =
  | { kind: "number"; value: number; at: number }
  | { kind: "string"; value: string; at: number }
  | { kind: "name"; value: string; at: number }
  | { kind: "op"; value: string; at: number }
  | { kind: "end"; at: number };

const operators = [
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "<",
  ">",
  "+",
  "-",
  "*",
  "/",
  "%",
  "!",
  "(",
  ")",
  ",",
  "[",
  "]",
  ".",
];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(source[i + 1] ?? ""))) {
      const match = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(source.slice(i));
      const text = match?.[0] ?? c;
      tokens.push({ kind: "number", value: Number(text), at: i });
      i += text.length;
      continue;
    }
    if (c === '"' || c === "`" || c === "'") {
      const start = i;
      let value = "";
      i++;
      for (;;) {
        if (i >= source.length) throw new ExpressionSyntaxError(source, start, "unterminated string");
        const d = source[i] as string;
        if (d === c) {
          i++;
          break;
        }
        if (d === "\\" && c !== "`") {
          const next = source[i + 1];
          if (next === undefined) throw new ExpressionSyntaxError(source, i, "unterminated string");
          value += next === "n" ? "\n" : next === "t" ? "\t" : next;
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      tokens.push({ kind: "string", value, at: start });
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const match = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: "name", value: match[0], at: i });
      i += match[0].length;
      continue;
    }
    const op = operators.find((o) => source.startsWith(o, i));
    if (!op) throw new ExpressionSyntaxError(source, i, `unexpected character ${JSON.stringify(c)}`);
    tokens.push({ kind: "op", value: op, at: i });
    i += op.length;
  }
  tokens.push({ kind: "end", at: source.length });
  return tokens;
}

const precedence: ReadonlyArray<readonly BinaryOp[]> = [
  ["||"],
  ["&&"],
  ["==", "!="],
  ["<", "<=", ">", ">="],
  ["+", "-"],
  ["*", "/", "%"],
];

const maxDepth = 64;

/** Parses one expression (`metadata.auto.lastvisit >= now() - 7*24*60*60*1000 && !isNull(accountId)`). */
export function parseExpression(source: string): Expr {
  if (source.length > 10_000)
    throw new ExpressionSyntaxError(source.slice(0, 40), 0, "expression longer than 10,000 characters");
  const tokens = tokenize(source);
  let at = 0;
  let depth = 0;
  const peek = (): Token => tokens[at] as Token;
  const next = (): Token => tokens[at++] as Token;
  const isOp = (value: string): boolean => {
    const t = peek();
    return t.kind === "op" && t.value === value;
  };
  const expect = (value: string): void => {
    const t = next();
    if (t.kind !== "op" || t.value !== value)
      throw new ExpressionSyntaxError(source, t.at, `expected ${JSON.stringify(value)}`);
  };

  function binary(level: number): Expr {
    if (level === precedence.length) return unary();
    const ops = precedence[level] as readonly BinaryOp[];
    let left = binary(level + 1);
    for (;;) {
      const t = peek();
      if (t.kind !== "op" || !ops.includes(t.value as BinaryOp)) return left;
      next();
      const right = binary(level + 1);
      left = { kind: "binary", op: t.value as BinaryOp, left, right };
    }
  }

  function unary(): Expr {
    if (isOp("!") || isOp("-")) {
      const op = next() as { value: "!" | "-" };
      if (++depth > maxDepth)
        throw new ExpressionSyntaxError(source, peek().at, "expression nested too deeply");
      const arg = unary();
      depth--;
      if (op.value === "-" && arg.kind === "literal" && typeof arg.value === "number")
        return { kind: "literal", value: -arg.value };
      return { kind: "unary", op: op.value, arg };
    }
    return primary();
  }

  function primary(): Expr {
    const t = next();
    if (t.kind === "number") return { kind: "literal", value: t.value };
    if (t.kind === "string") return { kind: "literal", value: t.value };
    if (t.kind === "op" && t.value === "(") {
      if (++depth > maxDepth) throw new ExpressionSyntaxError(source, t.at, "expression nested too deeply");
      const inner = binary(0);
      depth--;
      expect(")");
      return inner;
    }
    if (t.kind === "name") {
      if (t.value === "true" || t.value === "false") return { kind: "literal", value: t.value === "true" };
      if (t.value === "null" || t.value === "nil") return { kind: "literal", value: null };
      if (isOp("(")) {
        next();
        const args: Expr[] = [];
        if (++depth > maxDepth) throw new ExpressionSyntaxError(source, t.at, "expression nested too deeply");
        if (!isOp(")")) {
          for (;;) {
            args.push(binary(0));
            if (isOp(",")) next();
            else break;
          }
        }
        depth--;
        expect(")");
        return { kind: "call", name: t.value, args };
      }
      const path: (string | number)[] = [t.value];
      for (;;) {
        if (isOp(".")) {
          next();
          const part = next();
          if (part.kind !== "name" && part.kind !== "number")
            throw new ExpressionSyntaxError(source, part.at, "expected a field name after '.'");
          path.push(String(part.value));
        } else if (isOp("[")) {
          next();
          const index = next();
          if (index.kind === "number" && Number.isInteger(index.value) && index.value >= 0)
            path.push(index.value);
          else if (index.kind === "string") path.push(index.value);
          else throw new ExpressionSyntaxError(source, index.at, "expected a list index (0, 1, …)");
          expect("]");
        } else break;
      }
      return { kind: "field", path };
    }
    if (t.kind === "end") throw new ExpressionSyntaxError(source, t.at, "unexpected end of expression");
    throw new ExpressionSyntaxError(
      source,
      t.at,
      `unexpected ${JSON.stringify(t.kind === "op" ? t.value : "")}`,
    );
  }

  const expr = binary(0);
  const end = peek();
  if (end.kind !== "end")
    throw new ExpressionSyntaxError(source, end.at, "unexpected text after the expression");
  return expr;
}
