import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import { CairnError } from "../errors/cairn-error.js";
import { loggerOptions } from "../log/logger-options.js";
import { recordRoutes } from "./declared-routes.js";
import { installErrorHandling } from "./error-handler.js";
import { registerHealthz, type StoreEngines } from "./healthz-route.js";
import { lazyValidatorCompilers } from "./lazy-validators.js";
import { describingSerializer } from "./response-serializer.js";

export interface AppOptions {
  readonly logLevel: string;
  readonly engines: StoreEngines;
  /** False once shutdown began: new requests then get 503 so load balancers move on. */
  readonly accepting: () => boolean;
  /** Where logs go; tests pass a stream to read them. Defaults to stdout. */
  readonly logStream?: NodeJS.WritableStream;
}

/** The HTTP application, without listening: tests drive it with `app.inject()`. */
export function buildApp(options: AppOptions): FastifyInstance {
  const logger = loggerOptions(options.logLevel);
  const app = Fastify({
    logger: options.logStream ? { ...logger, stream: options.logStream } : logger,
    // randomUUID draws from a cached entropy pool; randomBytes per request cost 14% of a busy server's CPU.
    genReqId: () => `req_${randomUUID().replaceAll("-", "").slice(0, 20)}`,
    // Keys travel in headers; nothing trusts a client-chosen request id.
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    // Fastify's default of 100 characters made a longer visitor id a 404 on /api/v1/visitor/:id. Ids are kept up
    // to 512 characters (ingest/agent-event.ts, the metadata API), and a path value is measured once
    // percent-decoded; 2048 leaves room for the metadata values looked up by path.
    routerOptions: { maxParamLength: 2048 },
    // Our own 503 below answers in the one error shape instead.
    return503OnClosing: false,
    forceCloseConnections: "idle",
    // Unknown fields are refused with a clear error rather than silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
    schemaController: { compilersFactory: { buildValidator: lazyValidatorCompilers() } },
  });
  app.setSerializerCompiler(describingSerializer);
  recordRoutes(app);
  installErrorHandling(app);
  // Callback style, not async: it runs on every request, and an async hook costs a promise each time.
  app.addHook("onRequest", (_request, reply, done) => {
    if (options.accepting()) {
      done();
      return;
    }
    reply.header("connection", "close");
    done(new CairnError("shutting_down"));
  });
  registerHealthz(app, options.engines);
  return app;
}
