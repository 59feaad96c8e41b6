import assert from "node:assert/strict";
import { test } from "node:test";
import type { CustomMetadataPatch } from "../store/profiles/profile-records.js";
import { mergeCustomMetadata } from "./custom-metadata-patches.js";
import { mergeProfilePatches } from "./profile-patches.js";

const patch = (
  id: string,
  values: CustomMetadataPatch["values"],
  kind: "visitor" | "account" = "visitor",
) => ({
  subscriptionId: "sub_test",
  kind,
  id,
  values,
});

test("custom-metadata patches merge per target, a later value (null included) winning", () => {
  const merged = mergeCustomMetadata([
    patch("v1", { plan: "free", seats: 1 }),
    patch("v1", { plan: "pro", seats: null }),
    patch("v1", { plan: "x" }, "account"),
    patch("v2", { plan: "team" }),
    { ...patch("v1", { plan: "other" }), subscriptionId: "sub_other" },
  ]);
  assert.deepEqual(merged, [
    patch("v1", { plan: "pro", seats: null }),
    patch("v1", { plan: "x" }, "account"),
    patch("v2", { plan: "team" }),
    { ...patch("v1", { plan: "other" }), subscriptionId: "sub_other" },
  ]);
});

test("a field named __proto__ stays a field when merged", () => {
  const values = JSON.parse('{"__proto__": "a"}') as Record<string, string>;
  const [merged] = mergeCustomMetadata([patch("v1", { x: 1 }), patch("v1", values)]);
  assert.deepEqual(Object.keys(merged?.values ?? {}), ["x", "__proto__"]);
  assert.equal(Object.getPrototypeOf(merged?.values), Object.prototype);
});

test("mergeProfilePatches carries custom metadata across batches, and leaves it out when there is none", () => {
  const empty = { visitors: [], accounts: [], aliases: [] };
  const merged = mergeProfilePatches([
    { ...empty, customMetadata: [patch("v1", { a: 1 })] },
    empty,
    { ...empty, customMetadata: [patch("v1", { b: 2 })] },
  ]);
  assert.deepEqual(merged.customMetadata, [patch("v1", { a: 1, b: 2 })]);
  assert.equal("customMetadata" in mergeProfilePatches([empty, empty]), false);
});
