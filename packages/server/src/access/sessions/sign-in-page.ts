import { readFileSync } from "node:fs";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { serverAssetPath } from "../../platform/package-files.js";

// Read once at start; the build copies `pages/` into dist/ (see the build script).
const html = readFileSync(serverAssetPath("access/sessions/pages/sign-in.html"), "utf8");
const script = readFileSync(serverAssetPath("access/sessions/pages/sign-in.js"), "utf8");

/** Nothing but files from this origin, no framing, no referrer: the page handles a one-time token. */
const securityHeaders = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

/** The page the first-start sign-in link opens: spend the one-time token, set a password. */
export function registerSignInPage(app: CairnApp): void {
  app.get("/admin/sign-in", async (_request, reply) =>
    reply.headers(securityHeaders).type("text/html; charset=utf-8").send(html),
  );
  app.get("/admin/sign-in.js", async (_request, reply) =>
    reply.headers(securityHeaders).type("text/javascript; charset=utf-8").send(script),
  );
}
