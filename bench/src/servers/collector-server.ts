/**
 * Server for the collector benchmark: Cairn as `cairn start` builds it (real stores in a temporary folder),
 * plus two baselines in the same process: a route that only answers the GIF, and one that also decodes the
 * jzb (the protocol's unavoidable work) without validating or storing. `/bench/count` reports how many
 * events the store holds once everything acknowledged is loaded, so the benchmark can check that every acknowledged event was stored.
 * Prints `ready <url> <appKey>` and runs until killed.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig, startCairn } from "@cairn/server";
import { countEvents, decodeJzb, transparentGif } from "@cairn/server/internals";

const dataDir = mkdtempSync(path.join(tmpdir(), "cairn-bench-collect-"));
// The load comes from one address at tens of thousands of beacons a second: the public-endpoint limits stay on
// (their cost is part of what is measured) but high enough never to refuse.
const config = loadConfig(
  {
    dataDir,
    port: "0",
    logLevel: "warn",
    publicRatePerApp: "1000000000",
    publicRatePerAddress: "1000000000",
    // The scale benchmark runs it on server engines, and with each acknowledgement mode.
    ...(process.env.BENCH_METADATA_URL ? { metadataUrl: process.env.BENCH_METADATA_URL } : {}),
    ...(process.env.BENCH_EVENTS_URL ? { eventsUrl: process.env.BENCH_EVENTS_URL } : {}),
    ...(process.env.BENCH_ACKNOWLEDGE ? { acknowledge: process.env.BENCH_ACKNOWLEDGE } : {}),
  },
  {},
  process.cwd(),
);
let count: () => Promise<number> = async () => 0;
// autocannon repeats one payload; a remembered copy would be answered without being stored, so the memory
// of recent beacons is off and every request is stored (the payload is still hashed as for any beacon).
// BENCH_REMEMBER=1 keeps it on, for a benchmark that sends a different payload each time.
const cairn = await startCairn(config, {
  ...(process.env.BENCH_REMEMBER === "1" ? {} : { rememberedBatches: 0 }),
  ...(process.env.BENCH_SHARE === "off" ? { shareCounts: false } : {}),
  ...(process.env.BENCH_PREPARE_THREADS ? { prepareThreads: Number(process.env.BENCH_PREPARE_THREADS) } : {}),
  beforeListen(app) {
    app.get("/bench/gif-only/:appKey", async (_request, reply) =>
      reply.type("image/gif").send(transparentGif),
    );
    app.get<{ Querystring: { jzb: string } }>("/bench/decode-only/:appKey", async (request, reply) => {
      decodeJzb(request.query.jzb);
      return reply.type("image/gif").send(transparentGif);
    });
    app.get("/bench/count", async () => ({ events: await count() }));
  },
});
// Acknowledged means in the fsynced ingest log; the count waits until the loader has moved all of it into the store.
count = async () => {
  await cairn.writer.flush();
  return countEvents(cairn.events, { subscriptionId: cairn.installation.subscription.id });
};
process.stdout.write(`ready ${cairn.publicUrl} ${cairn.installation.app.appKey}\n`);
process.on("SIGTERM", () => {
  void cairn.shutdown().then(() => process.exit(0));
});
