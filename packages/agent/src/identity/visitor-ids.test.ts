import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  accountPlaceholder,
  anonymousVisitorId,
  identifyProps,
  isAnonymousVisitor,
  realId,
  visitorPlaceholder,
} from "./visitor-ids.js";

describe("visitor ids", () => {
  it("makes anonymous ids of _PENDO_T_ and 11 random letters or digits", () => {
    const ids = new Set(Array.from({ length: 200 }, anonymousVisitorId));
    assert.equal(ids.size, 200);
    for (const id of ids) {
      assert.match(id, /^_PENDO_T_[A-Za-z0-9]{11}$/);
      assert.ok(isAnonymousVisitor(id));
    }
    assert.equal(isAnonymousVisitor("v1"), false);
  });

  it("treats empty values and the snippet's placeholders as no id, and coerces numbers", () => {
    assert.equal(realId(visitorPlaceholder, visitorPlaceholder), undefined);
    assert.equal(realId(accountPlaceholder, accountPlaceholder), undefined);
    assert.equal(realId("", visitorPlaceholder), undefined);
    assert.equal(realId(null, visitorPlaceholder), undefined);
    assert.equal(realId({}, visitorPlaceholder), undefined);
    assert.equal(realId(42, visitorPlaceholder), "42");
  });
});

describe("identifyProps (agent-wire.md §5.3)", () => {
  const anonymous = "_PENDO_T_Apjtnn16RgG";

  it("fires when an anonymous visitor becomes known", () => {
    assert.deepEqual(
      identifyProps({ visitorId: anonymous, accountId: null }, { visitorId: "v2", accountId: null }),
      {
        old_visitor_id: anonymous,
        old_account_id: null,
        visitor_id: "v2",
        account_id: null,
      },
    );
  });

  it("fires when the account changes to a real id, without old_visitor_id on a fresh profile", () => {
    assert.deepEqual(
      identifyProps({ visitorId: undefined, accountId: null }, { visitorId: "v1", accountId: "acme" }),
      {
        old_account_id: null,
        visitor_id: "v1",
        account_id: "acme",
      },
    );
  });

  it("does not fire when one known visitor replaces another with the same account, or nothing changes", () => {
    assert.equal(
      identifyProps({ visitorId: "v1", accountId: "acme" }, { visitorId: "v2", accountId: "acme" }),
      null,
    );
    assert.equal(
      identifyProps({ visitorId: anonymous, accountId: null }, { visitorId: anonymous, accountId: null }),
      null,
    );
    assert.equal(
      identifyProps({ visitorId: undefined, accountId: null }, { visitorId: "v1", accountId: null }),
      null,
    );
  });
});
