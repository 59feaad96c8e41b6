import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { newSignInToken } from "../users/user-service.js";

let cairn: RunningCairn;

before(async () => {
  const flags = { dataDir: tempDir("host-cookie"), port: "0", logLevel: "silent" as const };
  cairn = await startCairn(
    loadConfig({ ...flags, publicUrl: "https://cairn.example.com" }, {}, process.cwd()),
  );
});
after(() => cairn.shutdown());

test("under https the session cookie is __Host-: Secure, path /, no Domain; the unprefixed name is not read", async () => {
  const { signInToken } = await newSignInToken(cairn.metadata.db, {
    subscriptionId: cairn.installation.subscription.id,
    email: "owner@localhost",
  });
  const signedIn = await cairn.app.inject({
    method: "POST",
    url: "/api/admin/sign-in/link",
    payload: { token: signInToken },
  });
  assert.equal(signedIn.statusCode, 200, signedIn.body);
  const setCookie = String(signedIn.headers["set-cookie"]);
  assert.match(setCookie, /^__Host-cairn_session=[\w-]+;/);
  assert.match(setCookie, /; Secure/);
  assert.match(setCookie, /; Path=\//);
  assert.doesNotMatch(setCookie, /Domain=/i);
  const token = /^__Host-cairn_session=([\w-]+)/.exec(setCookie)?.[1] ?? "";

  const session = (cookie: string) =>
    cairn.app.inject({ method: "GET", url: "/api/admin/session", headers: { cookie } });
  assert.equal((await session(`__Host-cairn_session=${token}`)).statusCode, 200);
  assert.equal(
    (await session(`cairn_session=${token}`)).statusCode,
    401,
    "a cookie a sibling subdomain could set is ignored",
  );
});
