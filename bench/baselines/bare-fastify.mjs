// Baseline for start-up: a Fastify server with one route and nothing else, plain JavaScript like Cairn's
// built output, started the same way.
import Fastify from "fastify";

const app = Fastify();
app.get("/healthz", async () => ({ status: "ok" }));
await app.listen({ port: 0, host: "127.0.0.1" });
process.stdout.write(`ready at http://127.0.0.1:${app.server.address().port}\n`);
