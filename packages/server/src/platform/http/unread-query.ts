import type { RouteOptions } from "fastify";
import type { CairnApp } from "./cairn-app.js";

/**
 * GET (and HEAD) routes declared in this context from now on accept query parameters they do not read: Pendo's clients add
 * `length`, `limit`, `offset` and the like to v1 reads (pendo-api.md Appendix C), so a read whose querystring
 * schema refuses others (`additionalProperties: false`) takes them and ignores them instead; the parameters it
 * names are still checked. The schema is replaced, not changed: route files share schema objects.
 */
export function acceptUnreadQuery(app: CairnApp): void {
  app.addHook("onRoute", (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // HEAD too: Fastify copies a GET route's options for its HEAD route before these hooks run.
    if (!methods.some((method) => method === "GET" || method === "HEAD")) return;
    const querystring: unknown = route.schema?.querystring;
    if (typeof querystring !== "object" || querystring === null) return;
    if ((querystring as { additionalProperties?: unknown }).additionalProperties !== false) return;
    route.schema = {
      ...route.schema,
      querystring: {
        ...querystring,
        additionalProperties: true,
        description: "other parameters (limit, offset…) are accepted and not read",
      },
    };
  });
}
