import { Type } from "@sinclair/typebox";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { anyEnum } from "../../platform/http/schema-kit.js";
import { appRecord, rolledAppKey } from "../admin-answers.js";
import type { AdminRouteDeps } from "../admin-route-deps.js";
import { adminIdParams, noAdminQuery } from "../admin-schemas.js";
import { identityModes, unsignedEventChoices } from "../identity/identity-policy.js";
import { sessionOf } from "../sessions/session-guard.js";
import { requirePermission } from "../users/permissions.js";
import {
  defaultAppKeyGraceMs,
  rollAppKey,
  setAllowedOrigins,
  setFeedbackWidget,
  setVisitorIdentity,
} from "./app-keys.js";
import { createApp, listApps } from "./app-service.js";

const createBody = Type.Object({ name: Type.String({ maxLength: 1000 }) }, { additionalProperties: false });
const rollKeyBody = Type.Object(
  { graceDays: Type.Optional(Type.Number({ minimum: 0, maximum: 365 })) },
  { additionalProperties: false },
);
const allowedOriginsBody = Type.Object(
  { allowedOrigins: Type.Array(Type.String({ maxLength: 300 }), { maxItems: 100 }) },
  { additionalProperties: false },
);
const feedbackWidgetBody = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });

const identityBody = Type.Object(
  {
    identity: anyEnum(identityModes),
    unsignedEvents: Type.Optional(anyEnum(unsignedEventChoices)),
  },
  { additionalProperties: false },
);

const dayMs = 24 * 60 * 60 * 1000;

/** Apps: every role lists them; owners and admins create them, roll their keys and set what they accept. */
export function registerAppsAdminRoutes(
  app: CairnApp,
  deps: Pick<AdminRouteDeps, "metadata" | "requireSession">,
): void {
  const { requireSession } = deps;
  const db = deps.metadata.db;

  const listSchema = {
    summary: "List apps",
    querystring: noAdminQuery,
    response: { 200: Type.Object({ apps: Type.Array(appRecord) }) },
  };
  app.get("/api/admin/apps", { preHandler: requireSession, schema: listSchema }, async (request) => {
    const session = sessionOf(request);
    requirePermission(session.user, "apps.read");
    return { apps: await listApps(db, session.subscriptionId) };
  });

  app.post(
    "/api/admin/apps",
    {
      preHandler: requireSession,
      schema: { summary: "Create an app", body: createBody, response: { 201: appRecord } },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "apps.manage");
      const created = await createApp(db, {
        subscriptionId: session.subscriptionId,
        name: request.body.name,
        actor: session.user.id,
        ip: request.ip,
      });
      return reply.code(201).send(created);
    },
  );

  app.post(
    "/api/admin/apps/:id/roll-key",
    {
      preHandler: requireSession,
      schema: {
        summary: "Roll an app's key",
        description: "The previous app key keeps working for the grace period (default 7 days).",
        params: adminIdParams,
        body: rollKeyBody,
        response: { 200: rolledAppKey },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "apps.manage");
      // The body may be left out altogether: the default grace period then applies.
      const graceDays = (request.body as typeof request.body | undefined)?.graceDays;
      return rollAppKey(db, {
        subscriptionId: session.subscriptionId,
        appId: request.params.id,
        graceMs: graceDays === undefined ? defaultAppKeyGraceMs : graceDays * dayMs,
        actor: session.user.id,
        ip: request.ip,
      });
    },
  );

  app.put(
    "/api/admin/apps/:id/allowed-origins",
    {
      preHandler: requireSession,
      schema: {
        summary: "Set the origins an app's events may come from",
        params: adminIdParams,
        body: allowedOriginsBody,
        response: { 200: Type.Object({ allowedOrigins: appRecord.properties.allowedOrigins }) },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "apps.manage");
      const allowedOrigins = await setAllowedOrigins(db, {
        subscriptionId: session.subscriptionId,
        appId: request.params.id,
        origins: request.body.allowedOrigins,
        actor: session.user.id,
        ip: request.ip,
      });
      return { allowedOrigins };
    },
  );

  app.put(
    "/api/admin/apps/:id/feedback-widget",
    {
      preHandler: requireSession,
      schema: {
        summary: "Turn an app's in-app feedback panel on or off",
        params: adminIdParams,
        body: feedbackWidgetBody,
        response: { 200: Type.Object({ feedbackWidget: Type.Boolean() }) },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "apps.manage");
      const enabled = await setFeedbackWidget(db, {
        subscriptionId: session.subscriptionId,
        appId: request.params.id,
        enabled: request.body.enabled,
        actor: session.user.id,
        ip: request.ip,
      });
      return { feedbackWidget: enabled };
    },
  );

  app.put(
    "/api/admin/apps/:id/identity",
    {
      preHandler: requireSession,
      schema: {
        summary: "Set where an app requires a signed visitor identity",
        description:
          "`panel`: the feedback panel needs a token the page's back end signed with the app's identity secret; `panel_and_events`: analytics events too, where `unsignedEvents` says whether an identified visitor's events without one are stored flagged or refused. Create the secret with POST /api/admin/keys (kind `identity`).",
        params: adminIdParams,
        body: identityBody,
        response: {
          200: Type.Object({
            identity: appRecord.properties.identity,
            unsignedEvents: appRecord.properties.unsignedEvents,
          }),
        },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "apps.manage");
      const set = await setVisitorIdentity(db, {
        subscriptionId: session.subscriptionId,
        appId: request.params.id,
        mode: request.body.identity,
        ...(request.body.unsignedEvents === undefined ? {} : { unsignedEvents: request.body.unsignedEvents }),
        actor: session.user.id,
        ip: request.ip,
      });
      return { identity: set.mode, unsignedEvents: set.unsignedEvents };
    },
  );
}
