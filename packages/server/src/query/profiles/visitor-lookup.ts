import { CairnError } from "../../platform/errors/cairn-error.js";
import type { EventQuery } from "../../store/events/event-query.js";
import type { ProfileMirror } from "../../store/events/profile-mirror.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";
import { type ProfileBody, visitorBody } from "./profile-shape.js";

/** At most this many visitors answer one look-up (an e-mail address normally finds one). */
export const lookupLimit = 1_000;

/** The `auto` fields that hold text, and the mirror's columns that hold them. */
const autoColumns: Readonly<Record<string, string>> = {
  id: "visitor_id",
  accountid: "last_account_id",
  lastbrowsername: "last_browser_name",
  lastbrowserversion: "last_browser_version",
  lastoperatingsystem: "last_operating_system",
  lastservername: "last_server_name",
  lastuseragent: "last_user_agent",
};

function refuse(message: string): CairnError {
  return new CairnError("bad_request", {
    message,
    hint: "The path is /api/v1/visitor/metadata/{agent|custom|auto}/_lc_{field}/{value}, e.g. …/agent/_lc_email/ann@example.com.",
  });
}

/**
 * Visitors whose metadata field, lower-cased, equals `value` lower-cased (Pendo's
 * `GET /visitor/metadata/{group}/_lc_{field}/{value}`), found in the event engine's copy of the profiles (brought
 * up to date first) with one query written through its dialect, then read from the profile store.
 */
export async function visitorsByLowerCaseField(
  deps: { events: EventQuery; profiles: ProfileStore; profileMirror: ProfileMirror },
  subscriptionId: string,
  group: string,
  lcField: string,
  value: string,
): Promise<ProfileBody[]> {
  if (!lcField.startsWith("_lc_") || lcField.length === "_lc_".length)
    throw refuse(`"${lcField.slice(0, 100)}" is not a look-up field: it starts with _lc_ and names a field.`);
  const field = lcField.slice("_lc_".length);
  const d = deps.events.dialect;
  let column: string;
  if (group === "agent" || group === "custom") {
    column = d.jsonText(d.jsonGet(d.parseJson(`${group}_metadata`), [field]));
  } else if (group === "auto") {
    const auto = autoColumns[field];
    if (!auto)
      throw refuse(
        `The auto field "${field.slice(0, 100)}" holds no text to look up; these do: ${Object.keys(autoColumns).join(", ")}.`,
      );
    column = auto;
  } else {
    throw refuse(`No metadata group "${group.slice(0, 100)}" to look up in: agent, custom or auto.`);
  }
  await deps.profileMirror.sync(deps.profiles);
  const rows = await deps.events.run<{ visitorId: string }>({
    engine: d.engine,
    sql: `SELECT visitor_id AS ${d.ident("visitorId")} FROM ${d.profileTable("visitor_profiles", "v")}
          WHERE subscription_id = ${d.param("subscription", "string")} AND ${d.lower(column)} = ${d.param("value", "string")}
          ORDER BY visitor_id LIMIT ${lookupLimit}`,
    params: { subscription: subscriptionId, value: value.toLowerCase() },
  });
  const found: ProfileBody[] = [];
  for (const { visitorId } of rows) {
    const visitor = await deps.profiles.visitor(subscriptionId, visitorId);
    if (visitor) found.push(visitorBody(visitor));
  }
  return found;
}
