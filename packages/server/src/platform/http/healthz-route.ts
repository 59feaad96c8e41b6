import type { FastifyInstance } from "fastify";
import { cairnVersion } from "../version.js";

export interface StoreEngines {
  readonly metadata: string;
  readonly events: string;
}

/** 200 while this server takes work; during shutdown every route, this one included, answers 503. */
export function registerHealthz(app: FastifyInstance, engines: StoreEngines): void {
  app.get("/healthz", async () => ({ status: "ok", version: cairnVersion, stores: engines }));
}
