import { BlockList, isIP } from "node:net";
import { embeddedIpv4, type InternalRange, internalRangeOf } from "./address-ranges.js";

/**
 * Where webhooks may go: public addresses over https, plus the operator's exceptions
 * (`CAIRN_WEBHOOK_ALLOW`, `CAIRN_WEBHOOK_ALLOW_HTTP`). Checked when a hook is registered and again on the
 * address each connection is made to.
 */
export interface WebhookPolicy {
  readonly allowHttp: boolean;
  /** Host names (lower-case, no trailing dot) whose addresses are all allowed. */
  readonly allowedHosts: ReadonlySet<string>;
  /** Addresses and ranges allowed although internal. */
  readonly allowedAddresses: BlockList;
}

/** The policy from the settings `loadConfig` validated: entries are host names, addresses or CIDR ranges. */
export function webhookPolicy(settings: { allow: readonly string[]; allowHttp: boolean }): WebhookPolicy {
  const allowedHosts = new Set<string>();
  const allowedAddresses = new BlockList();
  for (const entry of settings.allow) {
    const [network = "", bits] = entry.split("/");
    const family = isIP(network);
    if (family === 0) allowedHosts.add(normaliseHost(entry));
    else if (bits === undefined) allowedAddresses.addAddress(network, family === 4 ? "ipv4" : "ipv6");
    else allowedAddresses.addSubnet(network, Number(bits), family === 4 ? "ipv4" : "ipv6");
  }
  return Object.freeze({ allowHttp: settings.allowHttp, allowedHosts, allowedAddresses });
}

/** The default: public https receivers only. */
export const strictWebhookPolicy: WebhookPolicy = webhookPolicy({ allow: [], allowHttp: false });

/** A URL's host as the policy compares it: lower-case, without IPv6 brackets or a trailing dot. */
export function normaliseHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
}

function addressAllowed(policy: WebhookPolicy, address: string): boolean {
  const plain = address.replace(/%.*$/, "");
  const family = isIP(plain);
  return family !== 0 && policy.allowedAddresses.check(plain, family === 4 ? "ipv4" : "ipv6");
}

/** An address the policy refuses, and the internal range it lies in. */
export interface RefusedAddress {
  readonly address: string;
  readonly range: InternalRange;
}

/** "127.0.0.1, a loopback address"; "::ffff:7f00:1 (IPv4 127.0.0.1), a loopback address" */
export function describeRefused(refused: RefusedAddress): string {
  const carried = isIP(refused.address) === 6 ? embeddedIpv4(refused.address) : null;
  const address = carried === null ? refused.address : `${refused.address} (IPv4 ${carried})`;
  return `${address}, ${/^[aeiou]/.test(refused.range) ? "an" : "a"} ${refused.range} address`;
}

/**
 * Whether `address` (what `host` resolved to, or the host itself when it is an IP address) is refused: it is
 * internal, and the operator allowed neither the host nor a range holding the address.
 */
export function refusedAddress(policy: WebhookPolicy, host: string, address: string): RefusedAddress | null {
  if (policy.allowedHosts.has(normaliseHost(host)) || addressAllowed(policy, address)) return null;
  const range = internalRangeOf(address);
  return range === null ? null : { address, range };
}

/** Names that resolve inside a network by convention or by a resolver's search list. */
function internalName(name: string): boolean {
  if (!name.includes(".")) return true;
  return /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa)$/.test(name);
}

const askOperator = "ask the operator to add it to CAIRN_WEBHOOK_ALLOW";

/**
 * Why a hook may not be registered for `url`, or null: a scheme other than https (unless http is allowed),
 * an IP address in an internal range, or a name that is internal by convention (`localhost`, `*.internal`,
 * a name without a dot), each unless the operator allowed it. A public name is checked again when it is
 * connected to, on the address it resolves to then.
 */
export function targetRefusal(policy: WebhookPolicy, url: URL): string | null {
  if (url.protocol === "http:" && !policy.allowHttp) {
    return "target_url must be an https URL (http sends your feedback unencrypted). Use https, or ask the operator to set CAIRN_WEBHOOK_ALLOW_HTTP=true.";
  }
  const name = normaliseHost(url.hostname);
  if (isIP(name) !== 0) {
    const refused = refusedAddress(policy, name, name);
    if (refused === null) return null;
    return `target_url points inside a network (${describeRefused(refused)}); webhooks go to public receivers only. Use a public host name, or ${askOperator}.`;
  }
  if (internalName(name) && !policy.allowedHosts.has(name)) {
    return `target_url points inside a network (${name} is an internal host name); webhooks go to public receivers only. Use a public host name, or ${askOperator}.`;
  }
  return null;
}
