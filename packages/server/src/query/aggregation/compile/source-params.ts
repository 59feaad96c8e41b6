import { fail, type StagePlace } from "../pipeline/pipeline-error.js";
import type { PipelineContext } from "./source-context.js";

/** Pendo's default web app id (pendo-api.md §3.1): read as the subscription's default app. */
const pendoDefaultAppId = -323232;

function isAllApps(value: string): boolean {
  return /^expandAppIds\(\s*["`'*]?\*["`']?\s*\)$/.test(value.trim()) || value.trim() === "*";
}

/** The apps a source reads: `appId` as an id, Pendo's default -323232, a list, or `expandAppIds("*")`. */
export function appsOf(ctx: PipelineContext, place: StagePlace, value: unknown): string[] {
  if (value === undefined || value === null) return ctx.defaultAppId ? [ctx.defaultAppId] : [...ctx.appIds];
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return [...ctx.appIds];
  const apps: string[] = [];
  for (const item of items) {
    if (typeof item === "string" && isAllApps(item)) return [...ctx.appIds];
    if ((item === pendoDefaultAppId || item === String(pendoDefaultAppId)) && ctx.defaultAppId) {
      apps.push(ctx.defaultAppId);
      continue;
    }
    const id = typeof item === "number" ? String(item) : item;
    if (typeof id !== "string" || !ctx.appIds.includes(id))
      return fail(
        place,
        "appId",
        `no app ${JSON.stringify(item)} in this subscription; its apps are ${ctx.appIds.join(", ")} (or use "expandAppIds(\\"*\\")" for all)`,
      );
    apps.push(id);
  }
  return [...new Set(apps)];
}

export type BlacklistMode = "apply" | "ignore" | "only";

/** `blacklist`: apply the Exclude List (the default, as Pendo's UI sends), ignore it, or only excluded data. */
export function blacklistOf(place: StagePlace, value: unknown): BlacklistMode {
  if (value === undefined || value === null) return "apply";
  if (value === "apply" || value === "ignore" || value === "only") return value;
  return fail(place, "blacklist", `must be "apply", "ignore" or "only", not ${JSON.stringify(value)}`);
}

export function optionalString(
  place: StagePlace,
  params: Record<string, unknown>,
  name: string,
): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value === "") return fail(place, name, "must be a non-empty string");
  return value;
}
