import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";
import type { LoggerOptions } from "pino";
import { redactUrl } from "./redact-url.js";

/** Structured JSON logs (pino) with requests reduced to what is safe to keep. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    // Headers are not logged, but if a later change adds them, these paths stay hidden.
    redact: {
      paths: [
        'req.headers["x-pendo-integration-key"]',
        'req.headers["auth-token"]',
        'req.headers["x-cairn-identity"]',
        "req.headers.authorization",
        "req.headers.cookie",
        'res.headers["set-cookie"]',
      ],
      censor: "[redacted]",
    },
    serializers: {
      req(request: FastifyRequest) {
        return { method: request.method, url: redactUrl(request.url), remoteAddress: request.ip };
      },
      res(reply: FastifyReply) {
        return { statusCode: reply.statusCode };
      },
    },
  };
}

export type Logger = FastifyBaseLogger;
