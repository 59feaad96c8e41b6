import type { FastifyInstance, RouteOptions } from "fastify";
import Fastify from "fastify";
import { errorBody } from "../errors/error-body.js";
import { type ApiArea, apiAreas, securitySchemes } from "../http/api-areas.js";
import { documentedShape } from "../http/schema-kit.js";
import { cairnVersion } from "../version.js";

export const docsPrefix = "/api/docs";

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A route of one of the documented APIs: its schema files it under an area. */
export function isApiRoute(route: RouteOptions): boolean {
  const tags: unknown = isObject(route.schema) ? route.schema.tags : undefined;
  return Array.isArray(tags) && tags.some((tag) => Object.hasOwn(apiAreas, tag));
}

/** Every operation may fail with the one error body; the document says so once, as a shared response. */
function withErrorResponses<Document extends object>(document: Document): Document {
  // The document is plain JSON that @fastify/swagger built; this only adds keys to it.
  const doc = document as JsonObject;
  const components = isObject(doc.components) ? doc.components : {};
  doc.components = {
    ...components,
    schemas: { ...(isObject(components.schemas) ? components.schemas : {}), Error: errorBody },
    responses: {
      Error: {
        description:
          "An error: `{error: {code, message, hint, requestId}}`. The code is one of the catalogue's (docs/errors.md); the message and hint are for a person.",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
    },
  };
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const operations of Object.values(paths)) {
    if (!isObject(operations)) continue;
    for (const operation of Object.values(operations)) {
      if (!isObject(operation) || !isObject(operation.responses)) continue;
      operation.responses["4XX"] = { $ref: "#/components/responses/Error" };
      operation.responses["5XX"] = { $ref: "#/components/responses/Error" };
    }
  }
  return document;
}

/**
 * A Fastify instance that exists only to document: @fastify/swagger, the Swagger UI and the API routes of the
 * running app declared again with their schemas (with no validation, no serialisation and a handler that is
 * never called). Built on the first request to /api/docs, so neither those packages nor the document cost
 * anything at start; the document then describes exactly the routes the app declared.
 */
export async function buildDocsApp(routes: readonly RouteOptions[]): Promise<FastifyInstance> {
  const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([
    import("@fastify/swagger"),
    import("@fastify/swagger-ui"),
  ]);
  const docs = Fastify({ exposeHeadRoutes: false });
  docs.setValidatorCompiler(() => () => true);
  docs.setSerializerCompiler(() => JSON.stringify);
  await docs.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Cairn API",
        version: cairnVersion,
        description:
          "Cairn speaks Pendo's APIs: the paths below are Pendo's, so a client written for Pendo works here with the base URL and key changed. Every error answers `{error: {code, message, hint, requestId}}`.",
      },
      tags: (Object.keys(apiAreas) as ApiArea[]).map((name) => ({
        name,
        description: apiAreas[name].description,
      })),
      components: { securitySchemes },
    },
    hideUntagged: true,
    // An OpenAPI document (the `openapi` option is set), which this only adds to.
    transformObject: (document) =>
      withErrorResponses("openapiObject" in document ? document.openapiObject : {}),
  });
  await docs.register(swaggerUi, {
    routePrefix: docsPrefix,
    theme: { title: "Cairn API reference" },
    uiConfig: { deepLinking: true, docExpansion: "list", defaultModelsExpandDepth: 0 },
  });
  docs.get(`${docsPrefix}/openapi.json`, { schema: { hide: true } }, async () => docs.swagger());
  const neverCalled = async () => null;
  for (const route of routes) {
    if (!isApiRoute(route)) continue;
    const body = route.schema?.body;
    const schema = body === undefined ? route.schema : { ...route.schema, body: documentedShape(body) };
    docs.route({ method: route.method, url: route.url, schema, handler: neverCalled });
  }
  await docs.ready();
  return docs;
}
