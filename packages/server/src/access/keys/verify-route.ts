import { Type } from "@sinclair/typebox";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { stringEnum } from "../../platform/http/schema-kit.js";

const verified = Type.Object({
  valid: Type.Literal(true),
  keyId: Type.String(),
  kind: stringEnum(["integration", "feedback", "track"]),
  scope: stringEnum(["read", "write"]),
  subscriptionId: Type.String(),
});

const schema = {
  summary: "Check an integration key",
  description: "200 with the key's id, kind and scope when it is valid; otherwise the error says why.",
  querystring: Type.Object({}),
  response: { 200: verified },
};

/** `GET /api/v1/token/verify`: Pendo clients call it to test their integration key. The v1 guard ran first. */
export function registerTokenVerify(v1: CairnApp): void {
  v1.get("/api/v1/token/verify", { schema }, async (request) => {
    // The v1 guard admitted the request with a key.
    const key = request.cairnKey;
    // An identity secret is never a key the guard admits: it only signs visitor tokens.
    if (!key || key.kind === "identity") throw new CairnError("internal");
    return {
      valid: true as const,
      keyId: key.id,
      kind: key.kind,
      scope: key.scope,
      subscriptionId: key.subscriptionId,
    };
  });
}
