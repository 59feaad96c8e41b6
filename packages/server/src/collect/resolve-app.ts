import type { FastifyRequest } from "fastify";
import type { AppKeyResolution } from "../access/apps/app-keys.js";
import { recogniseKey } from "../access/keys/key-format.js";
import { CairnError } from "../platform/errors/cairn-error.js";
import { firstHeader } from "../platform/http/first-header.js";
import type { CollectorDeps } from "./collector-deps.js";

type AppKeyResolved = Extract<AppKeyResolution, { ok: true }>;

/**
 * The app behind a collector URL's key, or the error the agent gets: a secret key there has leaked and is
 * flagged (and revoked if the subscription says so); an unknown, retired or wrong-origin key is refused.
 */
export async function resolveCollectorApp(
  deps: Pick<CollectorDeps, "verifier" | "appKeys">,
  request: FastifyRequest,
  appKey: string,
  options: { anyOrigin?: boolean } = {},
): Promise<AppKeyResolved> {
  const recognised = recogniseKey(appKey);
  if (recognised.shape === "secret") {
    // A secret key in a browser URL has leaked: flag it (and revoke it if the subscription says so).
    await deps.verifier.flagExposedKey(appKey, {
      ip: request.ip,
      origin: firstHeader(request, "origin"),
      place: "collector URL",
    });
    throw new CairnError("secret_key_exposed");
  }
  if (recognised.shape !== "app") {
    throw new CairnError("not_found", {
      message: "Unknown app key.",
      hint: "Copy the app key from the install snippet (cairn apps list).",
    });
  }
  const resolved = await deps.appKeys.resolve(
    appKey,
    options.anyOrigin ? null : firstHeader(request, "origin"),
  );
  if (!resolved.ok) {
    const message =
      resolved.reason === "origin_not_allowed"
        ? "This app does not accept events from this origin."
        : resolved.reason === "retired"
          ? "This app key was replaced and its grace period is over."
          : "Unknown app key.";
    throw new CairnError(resolved.reason === "origin_not_allowed" ? "forbidden" : "not_found", {
      message,
      hint: "Use the app key from the current install snippet (cairn apps list), from an allowed origin.",
    });
  }
  return resolved;
}
