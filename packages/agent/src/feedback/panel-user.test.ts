import assert from "node:assert/strict";
import { test } from "node:test";
import { panelUser } from "./panel-user.js";

test("the panel's user carries the page's email, full name and account name, trimmed", () => {
  assert.deepEqual(
    panelUser("v1", "acme", { email: " ada@example.com ", full_name: "Ada Lovelace" }, { name: "Acme" }),
    { id: "v1", email: "ada@example.com", name: "Ada Lovelace", account: { id: "acme", name: "Acme" } },
  );
});

test("what the server would refuse is left out: a non-email, empty or non-text values; no account without an id", () => {
  assert.deepEqual(
    panelUser("v1", null, { email: "not an email", full_name: 42, name: "  " }, { name: "Acme" }),
    {
      id: "v1",
    },
  );
  assert.equal(panelUser("v1", null, { name: "n".repeat(300) }, {}).name?.length, 200);
});
