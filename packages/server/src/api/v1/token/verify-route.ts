import type { FastifyInstance, preHandlerHookHandler } from "fastify";

/** `GET /api/v1/token/verify`: Pendo clients call it to test their integration key. */
export function registerTokenVerify(
  app: FastifyInstance,
  requireIntegrationKey: preHandlerHookHandler,
): void {
  app.get("/api/v1/token/verify", { preHandler: requireIntegrationKey }, async (request) => {
    const key = request.cairnKey;
    return {
      valid: true,
      keyId: key?.id,
      kind: key?.kind,
      scope: key?.scope,
      subscriptionId: key?.subscriptionId,
    };
  });
}
