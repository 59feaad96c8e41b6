import type { FastifyInstance, RouteOptions } from "fastify";

const declared = new WeakMap<FastifyInstance, RouteOptions[]>();

/**
 * Keeps every route declared on the app from now on, with its schema, for the OpenAPI document and the test
 * that every API route has its schemas. Only the route options are kept (no copy, no compilation): the
 * document is built from them on the first request to /api/docs, not at start. HEAD routes, which Fastify
 * adds beside each GET, are left out.
 */
export function recordRoutes(app: FastifyInstance): void {
  const routes: RouteOptions[] = [];
  declared.set(app, routes);
  app.addHook("onRoute", (route: RouteOptions) => {
    if (route.method !== "HEAD") routes.push(route);
  });
}

/** The routes declared so far on an app built by buildApp. */
export function declaredRoutes(app: FastifyInstance): readonly RouteOptions[] {
  const routes = declared.get(app);
  if (!routes) throw new Error("declaredRoutes: the app was not built by buildApp");
  return routes;
}
