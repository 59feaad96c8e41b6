import { BlockList, isIP } from "node:net";

/** Why an address is inside a network rather than on the public internet. */
export type InternalRange =
  | "unspecified"
  | "loopback"
  | "private"
  | "shared (CGNAT)"
  | "link-local"
  | "unique-local"
  | "multicast"
  | "reserved"
  | "broadcast";

type Rule = readonly [range: InternalRange, cidr: string];

const ipv4Rules: readonly Rule[] = [
  ["unspecified", "0.0.0.0/8"],
  ["private", "10.0.0.0/8"],
  ["shared (CGNAT)", "100.64.0.0/10"],
  ["loopback", "127.0.0.0/8"],
  ["link-local", "169.254.0.0/16"],
  ["private", "172.16.0.0/12"],
  ["reserved", "192.0.0.0/24"],
  ["reserved", "192.0.2.0/24"],
  ["private", "192.168.0.0/16"],
  ["reserved", "198.18.0.0/15"],
  ["reserved", "198.51.100.0/24"],
  ["reserved", "203.0.113.0/24"],
  ["multicast", "224.0.0.0/4"],
  // 240/4 holds 255.255.255.255: matched first, so it is named for what it is.
  ["broadcast", "255.255.255.255/32"],
  ["reserved", "240.0.0.0/4"],
];

// IPv4-mapped (::ffff:0:0/96) and NAT64 (64:ff9b::/96) addresses are judged by the IPv4 address they carry.
const ipv6Rules: readonly Rule[] = [
  ["unspecified", "::/128"],
  ["loopback", "::1/128"],
  // The rest of ::/96 is the deprecated IPv4-compatible form: nothing public lives there.
  ["reserved", "::/96"],
  ["reserved", "100::/64"],
  ["reserved", "2001:db8::/32"],
  ["unique-local", "fc00::/7"],
  ["link-local", "fe80::/10"],
  ["reserved", "fec0::/10"],
  ["multicast", "ff00::/8"],
];

function compile(rules: readonly Rule[], family: "ipv4" | "ipv6"): Array<[InternalRange, BlockList]> {
  return rules.map(([range, cidr]) => {
    const [network = "", bits = ""] = cidr.split("/");
    const list = new BlockList();
    list.addSubnet(network, Number(bits), family);
    return [range, list];
  });
}

const ipv4Lists = compile(ipv4Rules, "ipv4");
const ipv6Lists = compile(ipv6Rules, "ipv6");

/** An IPv6 address as eight 16-bit words (a trailing dotted quad included), or null. */
export function ipv6Words(address: string): number[] | null {
  let text = address.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string | undefined) =>
    part ? part.split(":").map((word) => Number.parseInt(word, 16)) : [];
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const words = [...head, ...new Array<number>(Math.max(0, fill)).fill(0), ...tail];
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff)
    ? words
    : null;
}

/** The IPv4 address an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address carries. */
export function embeddedIpv4(address: string): string | null {
  const words = ipv6Words(address);
  if (!words) return null;
  const mapped = words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff;
  const nat64 = words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0);
  if (!mapped && !nat64) return null;
  const [high = 0, low = 0] = words.slice(6);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

/**
 * The internal range an IP address lies in, or null for a public address. IPv6 forms that carry an IPv4
 * address are judged by it; a zone (`fe80::1%eth0`) is ignored. Anything that is not an IP address is
 * "reserved": never connected to.
 */
export function internalRangeOf(address: string): InternalRange | null {
  const plain = address.replace(/%.*$/, "");
  const family = isIP(plain);
  if (family === 4) return ipv4Lists.find(([, list]) => list.check(plain, "ipv4"))?.[0] ?? null;
  if (family !== 6) return "reserved";
  const carried = embeddedIpv4(plain);
  if (carried !== null) return internalRangeOf(carried);
  return ipv6Lists.find(([, list]) => list.check(plain, "ipv6"))?.[0] ?? null;
}
