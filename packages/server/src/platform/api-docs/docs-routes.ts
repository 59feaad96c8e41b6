import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CairnError } from "../errors/cairn-error.js";
import { declaredRoutes } from "../http/declared-routes.js";
import { buildDocsApp, docsPrefix } from "./openapi-document.js";

// What a browser sends to revalidate a cached asset; what of the answer is the transport's, not the asset's.
const forwardedRequestHeaders = ["accept", "if-none-match", "if-modified-since"] as const;
const transportHeaders = new Set(["connection", "content-length", "date", "keep-alive", "transfer-encoding"]);

/**
 * `GET /api/docs`: the API reference (Swagger UI, its assets served from node_modules: nothing is fetched from
 * the internet); `GET /api/docs/openapi.json`: the OpenAPI 3.1 document of every route filed under an API area
 * (`platform/http/api-areas.ts`). The documentation app answers both; it is built on the first request.
 */
export function registerApiDocs(app: FastifyInstance): void {
  let docs: Promise<FastifyInstance> | undefined;
  const docsApp = () => {
    docs ??= buildDocsApp(declaredRoutes(app)).catch((error: unknown) => {
      docs = undefined;
      throw error;
    });
    return docs;
  };
  app.addHook("onClose", async () => {
    const built = await docs?.catch(() => undefined);
    await built?.close();
  });

  async function fromDocsApp(request: FastifyRequest, reply: FastifyReply) {
    const headers: Record<string, string> = {};
    for (const name of forwardedRequestHeaders) {
      const value = request.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const answer = await (await docsApp()).inject({ method: "GET", url: request.url, headers });
    if (answer.statusCode === 404) throw new CairnError("not_found");
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !transportHeaders.has(name)) reply.header(name, value);
    }
    return reply.code(answer.statusCode).send(answer.rawPayload);
  }
  app.get(docsPrefix, fromDocsApp);
  app.get(`${docsPrefix}/*`, fromDocsApp);
}
