import { CairnError } from "../../../platform/errors/cairn-error.js";
import { anyCase, literal } from "../shared/regex-text.js";
import { urlLiteral } from "./url-literal.js";

/**
 * The version of what compilePageRule writes. Stored with the compiled regexes; a page stored by another
 * version is compiled again when definitions load, so changing the compiler needs no data migration.
 */
export const pageRuleCompilerVersion = 1;

/** The longest page rule accepted, in characters. */
export const maxPageRuleLength = 2048;

/** `*`: any run of characters within one part of the URL (a path segment, the host): never `/`, `?` or `#`. */
const wildcard = "[^/?#]*";
/** Any scheme, when the rule starts with `//`. */
const anyScheme = "[A-Za-z][A-Za-z0-9+.-]*:";
/** Pendo's parameterized segment; it matches like `*` (Cairn makes no child pages of it). */
const parameterToken = "*parameter*";
/** Stands for a `*parameter*` while the rule is taken apart; a control character, which rules never contain. */
const parameterMark = "\u0001";
const containsToken = "~contains:";

const ruleHint =
  'A page rule is a URL: "//*/dashboard" (any host), "/reports/*" (* is any text within a path segment), "/admin/**" (** ignores everything after), "/users/~contains:team", "?tab" or "?tab=billing" conditions, "#fragment" (exact). See docs/tagging.md.';

function hasWildcard(text: string): boolean {
  return text.includes("*") || text.includes(parameterMark);
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function show(part: string): string {
  const text = part.replaceAll(parameterMark, parameterToken);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

function refuse(rule: string, problem: string): CairnError {
  return new CairnError("bad_request", { message: `The page rule ${show(rule)} ${problem}`, hint: ruleHint });
}

/** A part of the URL whose `*` (and `*parameter*`) are wildcards and the rest literal text. */
function withWildcards(text: string, literalChar: (char: string) => string): string {
  let out = "";
  for (const char of text) out += char === "*" || char === parameterMark ? wildcard : literalChar(char);
  return out;
}

const inPath = (char: string) => literal(urlLiteral(char));

function hostPattern(rule: string, host: string): string {
  const parts = /^(\[[^\]]*\]|[^:[\]]*)(:[0-9]+)?$/.exec(host);
  if (!parts)
    throw refuse(rule, `has the host ${show(host)}, which is not a host name with an optional :port.`);
  const name = parts[1] ?? "";
  const bad = /[^A-Za-z0-9.\-_*[\]:]/.exec(name.replaceAll(parameterMark, "*"));
  if (bad)
    throw refuse(rule, `has the host ${show(host)}, with a character no host name has (${show(bad[0])}).`);
  // Hosts are case-insensitive; without a port in the rule, any port (or none) matches.
  return withWildcards(name, anyCase) + (parts[2] ? literal(parts[2]) : "(?::[0-9]+)?");
}

function pathPattern(rule: string, path: string, ignoreAfter: boolean): string {
  const containsAt = path.indexOf(containsToken);
  if (containsAt >= 0) {
    const text = path.slice(containsAt + containsToken.length);
    if (text === "")
      throw refuse(rule, `has "${containsToken}" without the text to look for, as in ~contains:dashboard.`);
    if (text.includes(containsToken))
      throw refuse(rule, `has "${containsToken}" twice; a rule has at most one.`);
    if (hasWildcard(text))
      throw refuse(rule, `looks for ${show(text)}, but "${containsToken}" takes plain text, not wildcards.`);
    // The rest of the path (across segments, never into the query or the fragment) contains the text.
    return `${withWildcards(path.slice(0, containsAt), inPath)}[^?#]*${literal(urlLiteral(text))}[^?#]*${ignoreAfter ? ".*" : ""}`;
  }
  if (ignoreAfter) {
    // "/admin/**" matches /admin, /admin/ and everything below it, but not /administrators.
    return path.endsWith("/")
      ? `${withWildcards(path.slice(0, -1), inPath)}(?:[/?#].*)?`
      : `${withWildcards(path, inPath)}.*`;
  }
  // A trailing slash is optional on both sides: "/dashboard" and "/dashboard/" match the same URLs.
  return `${withWildcards(path.endsWith("/") ? path.slice(0, -1) : path, inPath)}/?`;
}

/** One `?name`, `?name=value` or `?name=*` condition: a regex of its own, so conditions hold in any order. */
function queryCondition(rule: string, part: string): string {
  if (part === "")
    throw refuse(
      rule,
      'has an empty query condition ("?" or "&" with nothing after it); write ?name or ?name=value.',
    );
  const equals = part.indexOf("=");
  const name = equals >= 0 ? part.slice(0, equals) : part;
  const value = equals >= 0 ? part.slice(equals + 1) : null;
  if (name === "") throw refuse(rule, `has the query condition ${show(part)} without a parameter name.`);
  if (hasWildcard(name)) {
    throw refuse(
      rule,
      `has the query parameter name ${show(name)}; a name cannot be a wildcard (a value can: ?tab=*).`,
    );
  }
  if (part.includes(containsToken))
    throw refuse(rule, `has "${containsToken}" in the query; it only works in the path.`);
  const valuePattern =
    value === null
      ? "(?:=[^&#]*)?"
      : `=${[...value].map((c) => (c === "*" ? "[^&#]*" : literal(urlLiteral(c)))).join("")}`;
  return `^[^?#]*\\?(?:[^#]*&)?${literal(urlLiteral(name))}${valuePattern}(?:[&#].*)?$`;
}

/**
 * Compiles one page rule in Pendo's syntax into regular expressions that must all match a stored URL (as the
 * agent sends it: `https://app.example.com/dashboard/42?tab=1#x`). Each is anchored (`^…$`), in the subset
 * RE2 and JavaScript share, case-sensitive except for the scheme and host. The first matches scheme, host,
 * path and fragment; each query condition adds one, so conditions hold in any order without lookahead.
 * An invalid rule is refused with a 400 that says which part is wrong.
 */
export function compilePageRule(input: string): string[] {
  const rule = input.trim();
  if (rule === "") throw refuse(input, `is empty. ${ruleHint}`);
  if (rule.length > maxPageRuleLength) {
    throw refuse(rule, `has ${rule.length} characters; a page rule has at most ${maxPageRuleLength}.`);
  }
  if (hasControlCharacter(rule)) throw refuse(rule, "has a control character (a line break or a tab?).");
  let text = rule.replaceAll(parameterToken, parameterMark);

  let ignoreAfter = false;
  const ignoreAt = text.indexOf("**");
  if (ignoreAt >= 0) {
    const after = text.slice(ignoreAt + 2);
    if (after !== "") {
      throw refuse(
        rule,
        `has ${show(after)} after "**", which ignores everything after it: nothing may follow it.`,
      );
    }
    text = text.slice(0, ignoreAt);
    ignoreAfter = true;
  }

  const hashAt = text.indexOf("#");
  const fragment = hashAt >= 0 ? text.slice(hashAt + 1) : null;
  if (fragment !== null && hasWildcard(fragment)) {
    throw refuse(
      rule,
      `has a wildcard after "#": the fragment ${show(fragment)} must be written out exactly.`,
    );
  }
  if (fragment !== null && ignoreAfter) {
    throw refuse(rule, `has "**" after "#": the fragment must be written out exactly.`);
  }
  const beforeHash = hashAt >= 0 ? text.slice(0, hashAt) : text;
  const questionAt = beforeHash.indexOf("?");
  const query = questionAt >= 0 ? beforeHash.slice(questionAt + 1) : null;
  if (query !== null && ignoreAfter) {
    throw refuse(rule, `has "**" in its query; "**" can only end the path (/reports/**).`);
  }
  const base = questionAt >= 0 ? beforeHash.slice(0, questionAt) : beforeHash;

  let scheme: string;
  let rest: string;
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(base);
  if (schemeMatch) {
    scheme = `${anyCase(schemeMatch[1] ?? "")}:`;
    rest = base.slice(schemeMatch[0].length);
  } else if (base.startsWith("//")) {
    scheme = anyScheme;
    rest = base.slice(2);
  } else if (base.startsWith("/")) {
    // Pendo's default: a rule without a host is for any host ("/features/*" is "//*/features/*").
    scheme = anyScheme;
    rest = `*${base}`;
  } else {
    throw refuse(
      rule,
      `starts with ${show(rule.slice(0, 20))}; a rule starts with "//" and a host ("//*/dashboard" for any host), with "/" and a path, or with a scheme ("https://app.example.com/dashboard").`,
    );
  }
  const slashAt = rest.indexOf("/");
  const host = slashAt >= 0 ? rest.slice(0, slashAt) : rest;
  const path = slashAt >= 0 ? rest.slice(slashAt) : "";
  if (host.includes(containsToken))
    throw refuse(rule, `has "${containsToken}" in the host; it only works in the path.`);
  if (host === "" && !(ignoreAfter && path === "")) {
    throw refuse(rule, 'has no host after "//"; write "//*" for any host, as in "//*/dashboard".');
  }
  const hostRegex = host === "" ? "" : hostPattern(rule, host);

  let main = `^${scheme}//${hostRegex}${pathPattern(rule, path, ignoreAfter)}`;
  if (!ignoreAfter) {
    main += "(?:\\?[^#]*)?";
    main += fragment === null ? "(?:#.*)?" : `#${literal(urlLiteral(fragment))}`;
  }
  main += "$";
  const conditions = query === null ? [] : query.split("&").map((part) => queryCondition(rule, part));
  return [main, ...conditions];
}

/**
 * The compiled regexes as one JavaScript regex, for Pendo's `parsedRule` field: the only one, or each as a
 * lookahead from the start (JavaScript reads that; RE2 does not, which is why Cairn stores the list).
 */
export function parsedRuleOf(regexes: readonly string[]): string {
  return regexes.length === 1 ? (regexes[0] ?? "") : regexes.map((r) => `(?=${r})`).join("");
}
