/**
 * Server for the key-check benchmark: Cairn as `cairn start` builds it (real stores in a temporary folder,
 * the real verifier), plus twins of two v1 routes under `/bench` that skip the key check, so each pair is
 * served by one process and differs only in authentication:
 * - `GET /api/v1/token/verify`: no work besides the answer, the worst case for the check's share;
 * - `GET /api/v1/visitor/bench-visitor`: one read of the profile store, as Pendo's v1 reads do.
 * Prints `ready <url> <key>` and runs until killed.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig, startCairn } from "@cairn/server";
import {
  createKey,
  registerProfileRoutes,
  setIntegrationKeysEnabled,
  type VerifiedKey,
} from "@cairn/server/internals";

const dataDir = mkdtempSync(path.join(tmpdir(), "cairn-bench-auth-"));
const config = loadConfig({ dataDir, port: "0", logLevel: "warn" }, {}, process.cwd());
let unauthenticatedKey: VerifiedKey | null = null;
const cairn = await startCairn(config, {
  beforeListen(app, { profiles }) {
    // Same answer as the real route, without the guard.
    app.get("/bench/token/verify-unauthenticated", async () => ({
      valid: true,
      keyId: "key_unauthenticated",
      kind: "integration",
      scope: "read",
      subscriptionId: "sub_unauthenticated",
    }));
    // The real visitor route, in a context whose hook names the subscription instead of checking a key.
    app.register(
      async (open) => {
        open.addHook("onRequest", (request, _reply, done) => {
          request.cairnKey = unauthenticatedKey;
          done();
        });
        registerProfileRoutes(open, { profiles });
      },
      { prefix: "/bench" },
    );
  },
});
const subscriptionId = cairn.installation.subscription.id;
unauthenticatedKey = {
  id: "key_unauthenticated",
  subscriptionId,
  kind: "integration",
  scope: "read",
  appId: null,
};
await setIntegrationKeysEnabled(cairn.metadata.db, { subscriptionId, enabled: true, actor: "bench" });
const newKey = (write: boolean) =>
  createKey(cairn.metadata.db, {
    subscriptionId,
    kind: "integration",
    description: write ? "bench write" : "bench",
    actor: "bench",
    write,
  });
const { key } = await newKey(false);
const { key: writeKey } = await newKey(true);
// The visitor the benchmarks read, among BENCH_VISITORS others (the bulk API takes 1,000 a request), so a read
// that scanned instead of seeking would show.
const visitorCount = Number(process.env.BENCH_VISITORS ?? 50_000);
for (let first = 0; first < visitorCount; first += 1_000) {
  const entries = Array.from({ length: Math.min(1_000, visitorCount - first) }, (_, i) => ({
    visitorId: first + i === 0 ? "bench-visitor" : `visitor-${first + i}`,
    values: { plan: (first + i) % 3 === 0 ? "pro" : "free", seats: 42 },
  }));
  const seeded = await fetch(`${cairn.publicUrl}/api/v1/metadata/visitor/custom/value?create=true`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-pendo-integration-key": writeKey },
    body: JSON.stringify(entries),
  });
  if (!seeded.ok) throw new Error(`seeding visitors failed: ${seeded.status} ${await seeded.text()}`);
}
process.stdout.write(`ready ${cairn.publicUrl} ${key}\n`);
process.on("SIGTERM", () => {
  void cairn.shutdown().then(() => process.exit(0));
});
