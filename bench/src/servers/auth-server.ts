/**
 * Server for the key-check benchmark: Cairn as `cairn start` builds it (real stores in a temporary folder,
 * the real verifier), plus a twin of /api/v1/token/verify that skips the key check, so both are served by
 * one process and differ only in authentication. Prints `ready <url> <key>` and runs until killed.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../../../packages/server/src/config/load-config.js";
import { createKey, setIntegrationKeysEnabled } from "../../../packages/server/src/keys/key-service.js";
import { startCairn } from "../../../packages/server/src/start/start-cairn.js";

const dataDir = mkdtempSync(path.join(tmpdir(), "cairn-bench-auth-"));
const config = loadConfig({ dataDir, port: "0", logLevel: "warn" }, {}, process.cwd());
const cairn = await startCairn(config, {
  beforeListen(app) {
    // Same answer as the real route, without its preHandler.
    app.get("/bench/token/verify-unauthenticated", async () => ({
      valid: true,
      keyId: "key_unauthenticated",
      kind: "integration",
      scope: "read",
      subscriptionId: "sub_unauthenticated",
    }));
  },
});
const subscriptionId = cairn.installation.subscription.id;
await setIntegrationKeysEnabled(cairn.metadata.db, { subscriptionId, enabled: true, actor: "bench" });
const { key } = await createKey(cairn.metadata.db, {
  subscriptionId,
  kind: "integration",
  description: "bench",
  actor: "bench",
});
process.stdout.write(`ready ${cairn.publicUrl} ${key}\n`);
process.on("SIGTERM", () => {
  void cairn.shutdown().then(() => process.exit(0));
});
