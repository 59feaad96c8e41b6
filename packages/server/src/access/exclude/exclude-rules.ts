import { BlockList, isIP, SocketAddress } from "node:net";
import { domainToASCII } from "node:url";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { ExcludeRuleKind } from "../../store/metadata/metadata-schema.js";
import { compileGlob } from "./glob-match.js";

export type { ExcludeRuleKind } from "../../store/metadata/metadata-schema.js";

/** The kinds of rule the Exclude List holds, in the order they are shown. */
export const excludeRuleKinds: readonly ExcludeRuleKind[] = ["ip", "visitor", "account", "host"];

/** The longest pattern accepted, after trimming. */
export const maxPatternLength = 256;

/** A rule as the matcher needs it: a kind and an already normalised pattern. */
export interface ExcludePattern {
  readonly kind: ExcludeRuleKind;
  readonly pattern: string;
}

/** What the collector knows about an event when it decides whether to flag it. */
export interface ExcludeCandidate {
  /** The client address as the server saw it; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) matches IPv4 rules. */
  readonly ip?: string | null;
  readonly visitorId?: string | null;
  readonly accountId?: string | null;
  /** The page URL; its hostname is checked against host rules, and a URL that does not parse matches none. */
  readonly url?: string | null;
}

/** One subscription's Exclude List, compiled: checking an event does no I/O and allocates little. */
export interface ExcludeMatcher {
  /** How many rules were compiled in; 0 means nothing is ever excluded. */
  readonly ruleCount: number;
  /** The rules it was compiled from, so another thread can compile the same matcher. */
  readonly rules: readonly ExcludePattern[];
  /** True when any rule matches the event's address, visitor id, account id or page host. */
  isExcluded(candidate: ExcludeCandidate): boolean;
}

function invalid(message: string): CairnError {
  return new CairnError("bad_request", { message });
}

function isKind(kind: string): kind is ExcludeRuleKind {
  return (excludeRuleKinds as readonly string[]).includes(kind);
}

/** `fe80::1%eth0` → null (zones are refused); IPv6 in its canonical lower-case, compressed form. */
function canonicalAddress(address: string): { address: string; family: "ipv4" | "ipv6" } | null {
  if (address.includes("%")) return null;
  const version = isIP(address);
  if (version === 4) return { address, family: "ipv4" };
  if (version === 6)
    return { address: new SocketAddress({ address, family: "ipv6" }).address, family: "ipv6" };
  return null;
}

function normaliseIp(pattern: string): string {
  const slash = pattern.indexOf("/");
  const addressPart = slash === -1 ? pattern : pattern.slice(0, slash);
  const address = canonicalAddress(addressPart);
  if (!address) {
    throw invalid(
      `"${pattern}" is not an IP address or CIDR range: use e.g. 203.0.113.7, 10.0.0.0/8, 2001:db8::1 or 2001:db8::/32 (no * wildcards for addresses).`,
    );
  }
  if (slash === -1) return address.address;
  const prefixText = pattern.slice(slash + 1);
  const maxPrefix = address.family === "ipv4" ? 32 : 128;
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > maxPrefix) {
    throw invalid(
      `"${pattern}" is not a CIDR range: the prefix length after "/" must be a whole number from 0 to ${maxPrefix} for an ${address.family === "ipv4" ? "IPv4" : "IPv6"} address.`,
    );
  }
  // Host bits past the prefix are kept as written (10.1.2.3/8 means 10.0.0.0/8): BlockList masks them.
  return `${address.address}/${prefix}`;
}

const hostShape = /^(\[[0-9a-f:.]+\]|[a-z0-9*_.-]+)$/;

function normaliseHost(pattern: string): string {
  if (pattern.includes("://") || pattern.includes("/")) {
    throw invalid(
      `"${pattern}" is not a host: give the host name only, without scheme or path, e.g. staging.example.com or *.internal.example.com.`,
    );
  }
  // Page URLs reach the matcher through `new URL`, which lower-cases hosts and turns IDNs into punycode.
  const labels = pattern
    .toLowerCase()
    .replace(/\.$/, "")
    .split(".")
    .map((label) => (!label.includes("*") && /\P{ASCII}/u.test(label) ? domainToASCII(label) : label));
  const host = labels.join(".");
  if (labels.some((label) => label.length === 0) || !hostShape.test(host)) {
    throw invalid(
      `"${pattern}" is not a host: use letters, digits, "-", "." and "*" wildcards, e.g. localhost, staging.example.com or *.internal.example.com (no port).`,
    );
  }
  return host;
}

/**
 * Checks and normalises one rule, or throws a `bad_request` CairnError that says what is wrong and what is
 * expected. Patterns are trimmed; IPs become canonical (`2001:DB8::0001` → `2001:db8::1`, `/08` → `/8`);
 * hosts are lower-cased (IDNs to punycode); visitor and account ids are kept exactly, case included.
 */
export function normaliseExcludeRule(kind: string, pattern: string): ExcludePattern {
  if (!isKind(kind)) {
    throw invalid(
      `The kind of an Exclude List rule must be one of ${excludeRuleKinds.join(", ")}; got "${kind}".`,
    );
  }
  const trimmed = pattern.trim();
  if (trimmed.length === 0) throw invalid(`An Exclude List rule needs a pattern: the ${kind} to exclude.`);
  if (trimmed.length > maxPatternLength) {
    throw invalid(
      `An Exclude List pattern has at most ${maxPatternLength} characters; this one has ${trimmed.length}.`,
    );
  }
  switch (kind) {
    case "ip":
      return { kind, pattern: normaliseIp(trimmed) };
    case "host":
      return { kind, pattern: normaliseHost(trimmed) };
    case "visitor":
    case "account":
      if (/[\r\n]/.test(trimmed))
        throw invalid(`A ${kind} id pattern is one line; this one has a line break.`);
      return { kind, pattern: trimmed };
  }
}

/**
 * Exact values in a Set; `*` patterns each compiled to a linear-time glob (glob-match.ts), tried in turn.
 * Case-sensitive, as stored: ids are kept exactly, hosts were lower-cased on both sides.
 */
function valueMatcher(patterns: readonly string[]): ((value: string) => boolean) | null {
  if (patterns.length === 0) return null;
  const exact = new Set(patterns.filter((p) => !p.includes("*")));
  const wildcards = [...new Set(patterns.filter((p) => p.includes("*")))].map((p) => compileGlob(p));
  return (value) => exact.has(value) || wildcards.some((matches) => matches(value));
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/\.$/, "");
  } catch {
    return null;
  }
}

function familyOf(ip: string): "ipv4" | "ipv6" | null {
  const version = isIP(ip);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : null;
}

/** Never matches anything; what a subscription with an empty Exclude List gets. */
export const emptyExcludeMatcher: ExcludeMatcher = Object.freeze({
  ruleCount: 0,
  rules: [],
  isExcluded: () => false,
});

/**
 * Compiles rules into a matcher. Patterns are normalised again, so raw input works too; a stored pattern
 * this version cannot read is skipped rather than failing every event of the subscription.
 */
export function compileExcludeRules(rules: readonly ExcludePattern[]): ExcludeMatcher {
  const byKind: Record<ExcludeRuleKind, string[]> = { ip: [], visitor: [], account: [], host: [] };
  for (const rule of rules) {
    try {
      const normal = normaliseExcludeRule(rule.kind, rule.pattern);
      byKind[normal.kind].push(normal.pattern);
    } catch {
      // Skipped, as documented above.
    }
  }
  const ruleCount = Object.values(byKind).reduce((sum, list) => sum + list.length, 0);
  if (ruleCount === 0) return emptyExcludeMatcher;

  let addresses: BlockList | null = null;
  if (byKind.ip.length > 0) {
    const list = new BlockList();
    for (const pattern of byKind.ip) {
      const [address = "", prefix] = pattern.split("/");
      const family = familyOf(address) ?? "ipv4";
      if (prefix === undefined) list.addAddress(address, family);
      else list.addSubnet(address, Number(prefix), family);
    }
    addresses = list;
  }
  const visitor = valueMatcher(byKind.visitor);
  const account = valueMatcher(byKind.account);
  const host = valueMatcher(byKind.host);

  return {
    ruleCount,
    rules,
    isExcluded(candidate) {
      if (visitor && candidate.visitorId != null && visitor(candidate.visitorId)) return true;
      if (account && candidate.accountId != null && account(candidate.accountId)) return true;
      if (addresses && candidate.ip) {
        const family = familyOf(candidate.ip);
        if (family && addresses.check(candidate.ip, family)) return true;
      }
      if (host && candidate.url) {
        const name = hostOf(candidate.url);
        if (name !== null && host(name)) return true;
      }
      return false;
    },
  };
}
