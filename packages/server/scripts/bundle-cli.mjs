// Bundles the CLI (what `cairn start` runs) into dist/cli/main.js, its dependencies included, whitespace and syntax
// minified (names kept for stack traces; the source held in memory is 2.5 MB instead of 3.8): loading about a
// thousand ES modules one file at a time cost a first start ~280 ms of ~920 and ~18 MB (five A/B pairs). Left out: native
// modules, what only some requests or settings load (the PostgreSQL driver, the HTML parser), and packages that load files of their own from beside their code (Piscina's worker, the agent's
// bundles, the web app's files, pino-pretty's, Swagger UI's), and what only /api/docs loads, on its first request. The rest of dist/ stays tsc's output (the prepare worker, `@cairn/server`'s exports).
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/cli/main.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  minifyWhitespace: true,
  minifySyntax: true,
  external: [
    "better-sqlite3",
    "@duckdb/node-api",
    "@node-rs/argon2",
    "piscina",
    "pino-pretty",
    "@cairn/agent",
    "@cairn/web",
    // Loaded only when used: the PostgreSQL driver with a postgres:// metadata URL, the ClickHouse client with a
    // clickhouse:// or chdb: events URL (chdb itself is optional, installed apart), the HTML parser and selector
    // engine on the first guide anchor count.
    "pg",
    "@clickhouse/client",
    "chdb",
    "css-select",
    "htmlparser2",
    // Loaded on the first request to /api/docs, not at start; the UI serves files from beside its code.
    "@fastify/swagger",
    "@fastify/swagger-ui",
  ],
  // Bundled CommonJS dependencies call require() for Node's own modules.
  banner: {
    js: "import { createRequire as cairnRequire } from 'node:module'; const require = cairnRequire(import.meta.url);",
  },
  logLevel: "warning",
});
