import assert from "node:assert/strict";
import { it } from "node:test";
import { browserLanguage, metadataHash, metaProps } from "./metadata.js";

it("builds meta props from this call's options with the current ids, and hashes all but the date", () => {
  const props = metaProps(
    { visitor: { id: "ignored", role: "admin" }, account: { plan: "gold" } },
    { visitorId: "v2", accountId: "acme2" },
    browserLanguage({ languages: ["en-US"] }),
    "1.0.0",
    new Date(2026, 10, 3),
  );
  assert.deepEqual(props, {
    visitor: { id: "v2", role: "admin", language: "en_US" },
    account: { plan: "gold", id: "acme2" },
    parentAccount: {},
    date: "03/11/2026",
    version: "1.0.0",
  });
  assert.equal(metadataHash(props), metadataHash({ ...props, date: "04/11/2026" }));
  assert.notEqual(
    metadataHash(props),
    metadataHash({ ...props, visitor: { ...props.visitor, role: "user" } }),
  );
  const anonymous = metaProps({}, { visitorId: "_PENDO_T_x", accountId: null }, undefined, "1", new Date());
  assert.deepEqual(anonymous.account, {});
});
