import { isIP } from "node:net";

/**
 * Which proxies may name the client in `X-Forwarded-For`: none (the default), how many hops in front of Cairn,
 * or the proxies' own addresses and CIDR ranges. "Trust everything" would let any client choose its address,
 * and with it dodge every per-address limit, so `true`, `*` and ranges that cover the whole Internet are refused.
 */
export type TrustProxy = false | number | readonly string[];

export type TrustProxyParsed = { ok: true; value: TrustProxy } | { ok: false; problem: string };

const everything = new Set(["true", "*", "all", "0.0.0.0/0", "::/0", "0/0"]);

function validEntry(entry: string): string | null {
  const [address, bits, extra] = entry.split("/");
  if (extra !== undefined || !address) return `"${entry}" is not an address or CIDR range`;
  const family = isIP(address);
  if (family === 0) return `"${entry}" is not an address or CIDR range`;
  if (bits === undefined) return null;
  const prefix = Number(bits);
  const max = family === 4 ? 32 : 128;
  if (!/^\d+$/.test(bits) || prefix > max) return `"${entry}" has a prefix length outside 0-${max}`;
  if (prefix === 0) return `"${entry}" covers every address; name your proxies instead`;
  return null;
}

export function parseTrustProxy(value: string): TrustProxyParsed {
  const text = value.trim().toLowerCase();
  if (text === "" || text === "false" || text === "0" || text === "none") return { ok: true, value: false };
  if (everything.has(text))
    return {
      ok: false,
      problem:
        "must not trust every address (any client could then choose its own); give the number of proxies in front of Cairn, or their addresses",
    };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 10) return { ok: false, problem: "must be a hop count from 0 to 10, or a list of addresses" };
    return { ok: true, value: hops };
  }
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  for (const entry of entries) {
    const problem = validEntry(entry);
    if (problem)
      return { ok: false, problem: `${problem}; use a hop count or addresses/CIDRs, comma-separated` };
  }
  return { ok: true, value: entries };
}

export function describeTrustProxy(trust: TrustProxy): string {
  if (trust === false) return "none (the client's own address is used)";
  if (typeof trust === "number") return `${trust} hop${trust === 1 ? "" : "s"}`;
  return trust.join(", ");
}
