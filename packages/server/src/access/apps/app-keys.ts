import { randomUUID } from "node:crypto";
import type { Kysely, Updateable } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { AppsTable, MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { type AuditAction, recordAudit } from "../audit/audit-log.js";
import {
  type IdentityMode,
  type IdentityPolicy,
  loadIdentityVerifiers,
  type UnsignedEvents,
} from "../identity/identity-policy.js";
import { bumpKeyRevision } from "../keys/key-service.js";

type Db = Kysely<MetadataSchema>;

export const defaultAppKeyGraceMs = 30 * 24 * 60 * 60 * 1000;
export const maxAllowedOrigins = 50;

async function findApp(db: Db, subscriptionId: string, appId: string) {
  const app = await db
    .selectFrom("apps")
    .selectAll()
    .where("id", "=", appId)
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  if (!app) throw new CairnError("not_found", { message: `No app ${appId} in this subscription.` });
  return app;
}

/**
 * A new public app key at once; the old one keeps being accepted for the grace period (30 days by default),
 * because snippets sit in caches. A leaked app key is not a secret leak: this is for hygiene and abuse.
 */
export async function rollAppKey(
  db: Db,
  input: { subscriptionId: string; appId: string; graceMs?: number; actor: string; ip?: string | null },
  now: Date = new Date(),
): Promise<{ appKey: string; previousAppKey: string; previousAppKeyExpiresAt: string }> {
  const graceMs = input.graceMs ?? defaultAppKeyGraceMs;
  if (!Number.isFinite(graceMs) || graceMs < 0)
    throw new CairnError("bad_request", { message: "The grace period must be zero or more." });
  return db.transaction().execute(async (trx) => {
    const app = await findApp(trx, input.subscriptionId, input.appId);
    const appKey = randomUUID();
    const previousAppKeyExpiresAt = new Date(now.getTime() + graceMs).toISOString();
    await trx
      .updateTable("apps")
      .set({
        app_key: appKey,
        previous_app_key: app.app_key,
        previous_app_key_expires_at: previousAppKeyExpiresAt,
      })
      .where("id", "=", app.id)
      .execute();
    await bumpKeyRevision(trx);
    await recordAudit(trx, {
      subscriptionId: input.subscriptionId,
      actor: input.actor,
      action: "app.key_rolled",
      target: app.id,
      ip: input.ip ?? null,
      detail: { previousKeyAcceptedUntil: previousAppKeyExpiresAt },
      at: now,
    });
    return { appKey, previousAppKey: app.app_key, previousAppKeyExpiresAt };
  });
}

const originShape = /^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/;

/** Normalises and checks origins such as `https://app.example.com` or `https://*.example.com`. */
export function parseOrigins(origins: readonly string[]): string[] {
  if (origins.length > maxAllowedOrigins) {
    throw new CairnError("bad_request", { message: `At most ${maxAllowedOrigins} allowed origins.` });
  }
  return [...new Set(origins.map((o) => o.trim().toLowerCase().replace(/\/+$/, "")))].map((origin) => {
    if (!originShape.test(origin)) {
      throw new CairnError("bad_request", {
        message: `"${origin}" is not an origin: use scheme and host, e.g. https://app.example.com or https://*.example.com.`,
      });
    }
    return origin;
  });
}

export async function setAllowedOrigins(
  db: Db,
  input: {
    subscriptionId: string;
    appId: string;
    origins: readonly string[];
    actor: string;
    ip?: string | null;
  },
): Promise<string[]> {
  const origins = parseOrigins(input.origins);
  await changeApp(db, input, { allowed_origins: JSON.stringify(origins) }, "app.origins_set", { origins });
  return origins;
}

/**
 * Turns the in-app feedback panel on or off for the app. With it on, the public app key may also create
 * ideas and votes for the visitor of the page (the collector's `/data/feedback/…` routes).
 */
export async function setFeedbackWidget(
  db: Db,
  input: { subscriptionId: string; appId: string; enabled: boolean; actor: string; ip?: string | null },
): Promise<boolean> {
  const action = input.enabled ? "app.feedback_widget_enabled" : "app.feedback_widget_disabled";
  await changeApp(db, input, { feedback_widget: input.enabled ? 1 : 0 }, action, {});
  return input.enabled;
}

/**
 * Where the app requires a visitor identity token signed with its identity secret (`off`, `panel`,
 * `panel_and_events`), and what becomes of an identified visitor's events without one (`flag` or `refuse`).
 * Left out, `unsignedEvents` keeps its value.
 */
export async function setVisitorIdentity(
  db: Db,
  input: {
    subscriptionId: string;
    appId: string;
    mode: IdentityMode;
    unsignedEvents?: UnsignedEvents;
    actor: string;
    ip?: string | null;
  },
): Promise<{ mode: IdentityMode; unsignedEvents: UnsignedEvents }> {
  const changes = {
    identity_mode: input.mode,
    ...(input.unsignedEvents === undefined ? {} : { unsigned_events: input.unsignedEvents }),
  };
  await changeApp(db, input, changes, "app.identity_set", changes);
  const app = await findApp(db, input.subscriptionId, input.appId);
  return { mode: app.identity_mode, unsignedEvents: app.unsigned_events };
}

/**
 * Changes what the app's key accepts, in one transaction with its audit record; the key revision moves, so
 * every server's app-key cache reloads the app.
 */
async function changeApp(
  db: Db,
  input: { subscriptionId: string; appId: string; actor: string; ip?: string | null },
  changes: Updateable<AppsTable>,
  action: AuditAction,
  detail: Record<string, unknown>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const app = await findApp(trx, input.subscriptionId, input.appId);
    await trx.updateTable("apps").set(changes).where("id", "=", app.id).execute();
    await bumpKeyRevision(trx);
    await recordAudit(trx, {
      subscriptionId: input.subscriptionId,
      actor: input.actor,
      action,
      target: app.id,
      ip: input.ip ?? null,
      detail,
    });
  });
}

export function originAllowed(allowed: readonly string[], origin: string | undefined): boolean {
  if (allowed.length === 0) return true;
  if (origin === undefined) return false;
  const candidate = origin.toLowerCase();
  return allowed.some((pattern) => {
    if (!pattern.includes("*.")) return pattern === candidate;
    const [scheme, host] = pattern.split("://*.");
    return candidate.startsWith(`${scheme}://`) && candidate.endsWith(`.${host}`);
  });
}

export type AppKeyResolution =
  | {
      readonly ok: true;
      readonly appId: string;
      readonly subscriptionId: string;
      readonly viaPreviousKey: boolean;
      readonly feedbackWidget: boolean;
      readonly identity: IdentityPolicy;
    }
  | { readonly ok: false; readonly reason: "unknown" | "retired" | "origin_not_allowed" };

/** What resolving an app key needs to know about its app; cached by the collector. */
export interface AppKeyRow {
  readonly id: string;
  readonly subscriptionId: string;
  readonly appKey: string;
  readonly previousAppKey: string | null;
  readonly previousAppKeyExpiresAt: string | null;
  readonly allowedOrigins: readonly string[];
  readonly feedbackWidget: boolean;
  readonly identity: IdentityPolicy;
}

export async function findAppByKey(db: Db, appKey: string): Promise<AppKeyRow | null> {
  const key = appKey.toLowerCase();
  const app = await db
    .selectFrom("apps")
    .select([
      "id",
      "subscription_id",
      "app_key",
      "previous_app_key",
      "previous_app_key_expires_at",
      "allowed_origins",
      "feedback_widget",
      "identity_mode",
      "unsigned_events",
    ])
    .where((eb) => eb.or([eb("app_key", "=", key), eb("previous_app_key", "=", key)]))
    .executeTakeFirst();
  if (!app) return null;
  return {
    id: app.id,
    subscriptionId: app.subscription_id,
    appKey: app.app_key,
    previousAppKey: app.previous_app_key,
    previousAppKeyExpiresAt: app.previous_app_key_expires_at,
    allowedOrigins: JSON.parse(app.allowed_origins) as string[],
    feedbackWidget: app.feedback_widget === 1,
    identity: {
      mode: app.identity_mode,
      unsignedEvents: app.unsigned_events,
      verifiers: await loadIdentityVerifiers(db, app.id),
    },
  };
}

/**
 * Which app a public app key belongs to, honouring the roll grace and the allowed origins. `origin` null
 * skips the origin check (the agent script is public; `<script>` requests carry no Origin).
 */
export function resolveFromRow(
  app: AppKeyRow | null,
  appKey: string,
  origin: string | undefined | null,
  now: Date,
): AppKeyResolution {
  if (!app) return { ok: false, reason: "unknown" };
  const viaPreviousKey = app.appKey !== appKey.toLowerCase();
  if (
    viaPreviousKey &&
    (app.previousAppKeyExpiresAt === null || app.previousAppKeyExpiresAt <= now.toISOString())
  ) {
    return { ok: false, reason: "retired" };
  }
  if (origin !== null && !originAllowed(app.allowedOrigins, origin))
    return { ok: false, reason: "origin_not_allowed" };
  return {
    ok: true,
    appId: app.id,
    subscriptionId: app.subscriptionId,
    viaPreviousKey,
    feedbackWidget: app.feedbackWidget,
    identity: app.identity,
  };
}

export async function resolveAppKey(
  db: Db,
  appKey: string,
  origin: string | undefined,
  now: Date = new Date(),
): Promise<AppKeyResolution> {
  return resolveFromRow(await findAppByKey(db, appKey), appKey, origin, now);
}
