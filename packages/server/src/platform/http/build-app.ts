import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import type { TrustProxy } from "../config/trust-proxy.js";
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
  /** Which proxies may name the client's address (`CAIRN_TRUST_PROXY`); none by default. */
  readonly trustProxy?: TrustProxy;
  /** How long a whole request (headers and body) may take to arrive; tests shorten it. */
  readonly requestTimeoutMs?: number;
  /** Where logs go; tests pass a stream to read them. Defaults to stdout. */
  readonly logStream?: NodeJS.WritableStream;
}

function trustedProxies(
  trust: TrustProxy | undefined,
): string[] | ((address: string, hop: number) => boolean) | undefined {
  if (trust === undefined || trust === false) return undefined;
  // The n proxies nearest Cairn are trusted; the address before them is the client's.
  if (typeof trust === "number") return (_address, hop) => hop < trust;
  return [...trust];
}

const privateAnswerPath = /^\/(api\/(admin|v1)|feedback)\//;

/** The HTTP application, without listening: tests drive it with `app.inject()`. */
export function buildApp(options: AppOptions): FastifyInstance {
  const logger = loggerOptions(options.logLevel);
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const app = Fastify({
    logger: options.logStream ? { ...logger, stream: options.logStream } : logger,
    // randomUUID draws from a cached entropy pool; randomBytes per request cost 14% of a busy server's CPU.
    genReqId: () => `req_${randomUUID().replaceAll("-", "").slice(0, 20)}`,
    // Keys travel in headers; nothing trusts a client-chosen request id.
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    // Fastify's default of no limit lets a client trickle a body forever, holding a socket and its memory.
    requestTimeout: requestTimeoutMs,
    // Node reads these when the server is made (Fastify's own setting, applied later, is not enforced), and
    // looks for requests past their time only every connectionsCheckingInterval (30 s by default).
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(20_000, requestTimeoutMs),
      connectionsCheckingInterval: Math.min(5_000, requestTimeoutMs / 2),
    },
    // An idle connection (no request under way) is closed after two minutes.
    connectionTimeout: 120_000,
    // request.ip then comes from X-Forwarded-For as far as the trusted proxies vouch for it.
    trustProxy: trustedProxies(options.trustProxy),
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
  // API answers are private (and some hold a key shown once): no browser or proxy may keep a copy.
  app.addHook("onRequest", (request, reply, done) => {
    if (privateAnswerPath.test(request.url)) reply.header("cache-control", "no-store");
    done();
  });
  registerHealthz(app, options.engines);
  return app;
}
