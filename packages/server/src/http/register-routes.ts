import type { FastifyInstance } from "fastify";
import { registerTokenVerify } from "../api/v1/token/verify-route.js";
import { keyGuard } from "../auth/key-guard.js";
import type { KeyVerifier } from "../auth/key-verifier.js";
import type { MetadataStore } from "../store/metadata/metadata-store.js";

export interface RouteServices {
  readonly metadata: MetadataStore;
  readonly verifier: KeyVerifier;
}

/** Every route that needs the stores; buildApp adds the ones that don't. */
export function registerRoutes(app: FastifyInstance, services: RouteServices): void {
  app.decorateRequest("cairnKey", null);
  registerTokenVerify(app, keyGuard(services.verifier, services.metadata, "v1"));
}
