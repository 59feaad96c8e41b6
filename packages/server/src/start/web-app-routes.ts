import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import { CairnError } from "../platform/errors/cairn-error.js";
import type { CairnApp } from "../platform/http/cairn-app.js";
import { redactUrl } from "../platform/log/redact-url.js";

/** Paths the app's screens never use: an unknown one there is the API's JSON 404, not the app. */
const servicePaths = /^\/(api|data|agent|feedback|admin|healthz)(\/|$|\?)/;

/**
 * What the app may load and where it may send. Scripts and styles only from Cairn itself; inline `style`
 * attributes are allowed because the chart library positions its canvas with them.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join("; ");

const notBuiltPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cairn</title></head><body>
<h1>Cairn's web app is not built</h1>
<p>Run <code>npm run build --workspace @cairn/web</code> (<code>npm start</code> does it), then reload.
The APIs answer meanwhile: <a href="/api/docs">/api/docs</a>.</p></body></html>`;

/**
 * The web app (`packages/web`, built to static files) at `/`: its hashed assets under `/assets/` cached for
 * good, and `index.html` for every other page address that is not a service path, so the app's own router
 * reads the address (a reload of `/settings/integration-keys` opens that screen).
 */
export async function registerWebApp(app: CairnApp, options: { root: string }): Promise<void> {
  const indexFile = path.join(options.root, "index.html");
  const indexHtml = existsSync(indexFile) ? readFileSync(indexFile, "utf8") : null;
  const assets = path.join(options.root, "assets");
  if (existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: "/assets/",
      index: false,
      immutable: true,
      maxAge: "365d",
      setHeaders: (response) => response.header("x-content-type-options", "nosniff"),
    });
  }

  app.get("/*", async (request, reply) => {
    const pathOnly = request.url.split("?")[0] ?? "/";
    if (servicePaths.test(pathOnly) || pathOnly.startsWith("/assets/")) {
      throw new CairnError("not_found", { message: `Nothing is served at GET ${redactUrl(pathOnly)}.` });
    }
    reply
      .header("content-type", "text/html; charset=utf-8")
      .header("cache-control", "no-cache")
      .header("content-security-policy", contentSecurityPolicy)
      .header("x-content-type-options", "nosniff")
      .header("referrer-policy", "same-origin");
    if (indexHtml === null) return reply.code(503).send(notBuiltPage);
    return reply.send(indexHtml);
  });
}
