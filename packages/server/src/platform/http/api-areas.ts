import type { RouteOptions } from "fastify";
import type { CairnApp } from "./cairn-app.js";

/**
 * The four APIs Cairn documents at /api/docs, each a tag of the OpenAPI document with the keys it takes.
 * Routes outside them (beacons, the agent script, guide.json, the sign-in page, /healthz) are not API.
 */
export type ApiArea = "v1" | "feedback" | "track" | "admin";

/** OpenAPI security schemes, by the names operations refer to. */
export const securitySchemes = {
  integrationKey: {
    type: "apiKey",
    in: "header",
    name: "x-pendo-integration-key",
    description:
      "An integration key (Settings → Integrations → Integration Keys). Read-only unless created with write access: a read-only key gets 403 insufficient_scope on any write.",
  },
  feedbackKey: {
    type: "apiKey",
    in: "header",
    name: "x-pendo-integration-key",
    description: "The Feedback key (Feedback → Settings → Product Settings → API Access), in Cairn's header.",
  },
  feedbackAuthToken: {
    type: "apiKey",
    in: "header",
    name: "auth-token",
    description:
      "The Feedback key in the header Pendo's Feedback clients send. `?auth-token=` in the URL is accepted too, and audited as a warning.",
  },
  trackSecret: {
    type: "apiKey",
    in: "header",
    name: "x-pendo-integration-key",
    description:
      "The app's track event secret (the app's details page), not an integration key: it sends events for that app only.",
  },
  adminSession: {
    type: "apiKey",
    in: "cookie",
    name: "cairn_session",
    description:
      "The session cookie set by POST /api/admin/sign-in (`__Host-cairn_session` when Cairn's public URL is https). A request that changes something also sends the session's CSRF token (csrfToken of GET /api/admin/session) in the x-csrf-token header.",
  },
} as const;

export type SecuritySchemeName = keyof typeof securitySchemes;
type SecurityRequirement = Partial<Record<SecuritySchemeName, string[]>>;

export const apiAreas: Record<ApiArea, { description: string; security: SecurityRequirement[] }> = {
  v1: {
    description: "Pendo's v1 REST API (`/api/v1`), with an integration key.",
    security: [{ integrationKey: [] }],
  },
  feedback: {
    description:
      "The Feedback API: ideas, votes, comments and webhooks under `/api/v1`, and Pendo's classic Feedback paths under `/feedback`, with the Feedback key.",
    security: [{ feedbackKey: [] }, { feedbackAuthToken: [] }],
  },
  track: {
    description:
      "Server-side track events (`POST /data/track`) and AI agent conversation events (`POST /data/agentic`), with the app's track event secret.",
    security: [{ trackSecret: [] }],
  },
  admin: {
    description: "The admin API (`/api/admin`) the web UI uses, with a signed-in user's session cookie.",
    security: [{ adminSession: [] }],
  },
};

/** The schema keys that file a route under an area; spread into a route's schema where no context does it. */
export function inArea(area: ApiArea): { tags: [ApiArea]; security: SecurityRequirement[] } {
  return { tags: [area], security: apiAreas[area].security };
}

/**
 * Files every route declared in this context from now on under the area (its tag and keys), unless its
 * schema names its own. The schema is replaced, not changed: route files share schema objects.
 */
export function documentArea(app: CairnApp, area: ApiArea): void {
  app.addHook("onRoute", (route: RouteOptions) => {
    route.schema = { ...inArea(area), ...route.schema };
  });
}
