import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { hashPassword } from "../users/passwords.js";

const maxFailuresPerAddress = 5;
const password = "correct horse battery";
let cairn: RunningCairn;

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("sign-in-limits"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  // The account backoff is left generous here, so these tests see the address limit alone.
  const account = { freeFailures: 1_000, baseDelayMs: 1_000, maxDelayMs: 1_000, forgetAfterMs: 1_000 };
  cairn = await startCairn(config, {
    signInLimits: { maxFailuresPerAddress, account: { ...account, capacity: 1_000 } },
  });
  await cairn.metadata.db
    .updateTable("users")
    .set({ password_hash: await hashPassword(password) })
    .where("role", "=", "owner")
    .execute();
});
after(() => cairn.shutdown());

async function signIn(address: string, guess: string): Promise<{ status: number; code?: string }> {
  const response = await cairn.app.inject({
    method: "POST",
    url: "/api/admin/sign-in",
    payload: { email: "owner@localhost", password: guess },
    remoteAddress: address,
  });
  const body = response.json() as { error?: { code?: string } };
  return { status: response.statusCode, code: body.error?.code };
}

async function failuresAudited(): Promise<number> {
  const rows = await cairn.metadata.db
    .selectFrom("audit_log")
    .select("id")
    .where("action", "=", "user.sign_in_failed")
    .execute();
  return rows.length;
}

test("30 parallel wrong passwords from one address: only the limit is evaluated, the rest refused", async () => {
  const auditedBefore = await failuresAudited();
  const answers = await Promise.all(
    Array.from({ length: 30 }, (_, i) => signIn("198.51.100.30", `wrong password ${i}`)),
  );
  const codes = answers.map((answer) => answer.code);
  assert.equal(codes.filter((code) => code === "invalid_credentials").length, maxFailuresPerAddress);
  assert.equal(codes.filter((code) => code === "rate_limited").length, 30 - maxFailuresPerAddress);
  assert.equal((await failuresAudited()) - auditedBefore, maxFailuresPerAddress, "argon2 ran 5 times");
});

test("a correct password after a few failures is refunded: it does not count against the address", async () => {
  const address = "198.51.100.31";
  for (let i = 0; i < maxFailuresPerAddress - 1; i++)
    assert.equal((await signIn(address, `wrong ${i}`)).code, "invalid_credentials");
  assert.equal((await signIn(address, password)).status, 200);
  assert.equal((await signIn(address, "wrong again")).code, "invalid_credentials", "the fifth failure");
  assert.equal((await signIn(address, password)).code, "rate_limited", "then the address waits");
});
