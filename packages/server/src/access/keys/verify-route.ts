import type { CairnApp } from "../../platform/http/cairn-app.js";

/** `GET /api/v1/token/verify`: Pendo clients call it to test their integration key. The v1 guard ran first. */
export function registerTokenVerify(v1: CairnApp): void {
  v1.get("/api/v1/token/verify", async (request) => {
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
