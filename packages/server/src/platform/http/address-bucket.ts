import { isIPv6 } from "node:net";

/**
 * What per-address limits count by: an IPv4 address as it is, an IPv6 address by its /64. One subscriber line
 * or host usually gets a whole /64, so counting single IPv6 addresses would let one client try again from
 * 2^64 addresses. IPv4-mapped IPv6 (`::ffff:192.0.2.1`) counts as the IPv4 address it carries.
 */
export function addressBucket(address: string): string {
  if (!isIPv6(address)) return address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  const [head = "", tail = ""] = address.toLowerCase().split("%")[0]?.split("::") ?? [];
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === "" ? [] : tail.split(":");
  const groups = address.includes("::")
    ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
