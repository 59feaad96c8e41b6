import assert from "node:assert/strict";
import { test } from "node:test";
import { embeddedIpv4, internalRangeOf } from "./address-ranges.js";
import { refusedAddress, targetRefusal, webhookPolicy } from "./webhook-policy.js";

test("every internal range is named; public addresses are not", () => {
  const cases: Array<[string, string | null]> = [
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["10.20.30.40", "private"],
    ["100.64.0.1", "shared (CGNAT)"],
    ["100.127.255.255", "shared (CGNAT)"],
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["169.254.169.254", "link-local"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["224.0.0.251", "multicast"],
    ["239.255.255.250", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "broadcast"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["fc00::1", "unique-local"],
    ["fd12:3456::1", "unique-local"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["ff02::1", "multicast"],
    // IPv4-mapped and NAT64 forms are judged by the IPv4 address they carry, in every spelling.
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::FFFF:A9FE:A9FE", "link-local"],
    ["0:0:0:0:0:ffff:10.0.0.1", "private"],
    ["64:ff9b::169.254.169.254", "link-local"],
    ["::ffff:8.8.8.8", null],
    ["8.8.8.8", null],
    ["100.128.0.1", null],
    ["172.32.0.1", null],
    ["2606:4700:4700::1111", null],
    ["not an address", "reserved"],
  ];
  for (const [address, range] of cases) assert.equal(internalRangeOf(address), range, address);
  assert.equal(embeddedIpv4("::ffff:a9fe:a9fe"), "169.254.169.254");
  assert.equal(embeddedIpv4("2001:db8::1"), null);
});

test("the operator's allowlist lets named hosts and ranges through, and nothing else", () => {
  const policy = webhookPolicy({
    allow: ["10.1.0.0/16", "127.0.0.1", "hooks.corp.example"],
    allowHttp: false,
  });
  assert.equal(refusedAddress(policy, "10.1.2.3", "10.1.2.3"), null);
  assert.equal(refusedAddress(policy, "x.example", "127.0.0.1"), null);
  assert.equal(
    refusedAddress(policy, "x.example", "::ffff:127.0.0.1"),
    null,
    "the mapped form of an allowed address",
  );
  assert.equal(refusedAddress(policy, "Hooks.Corp.Example.", "192.168.0.9"), null, "a host allowed by name");
  assert.deepEqual(refusedAddress(policy, "x.example", "10.2.0.1"), {
    address: "10.2.0.1",
    range: "private",
  });
  assert.deepEqual(refusedAddress(policy, "x.example", "127.0.0.2"), {
    address: "127.0.0.2",
    range: "loopback",
  });
  assert.match(
    targetRefusal(policy, new URL("http://hooks.corp.example/")) ?? "",
    /https/,
    "http stays refused",
  );
  assert.equal(targetRefusal(policy, new URL("https://hooks.corp.example/")), null);
  assert.equal(targetRefusal(policy, new URL("https://[::ffff:10.1.0.5]/")), null);
});
