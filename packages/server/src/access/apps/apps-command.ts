import type { Command } from "commander";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { adminCommand } from "../admin-command.js";
import {
  type IdentityMode,
  identityModes,
  type UnsignedEvents,
  unsignedEventChoices,
} from "../identity/identity-policy.js";
import { rollAppKey, setAllowedOrigins, setFeedbackWidget, setVisitorIdentity } from "./app-keys.js";
import { createApp, listApps } from "./app-service.js";

export function registerAppsCommand(program: Command): void {
  const apps = program.command("apps").description("the subscription's apps and their public app keys");
  adminCommand(
    apps,
    "list",
    "list apps with their public app keys",
    async ({ metadata, subscriptionId, json }) => {
      const list = await listApps(metadata.db, subscriptionId);
      if (json) {
        process.stdout.write(`${JSON.stringify(list)}\n`);
        return;
      }
      for (const app of list) {
        const notes = [
          app.isDefault ? "(default)" : "",
          app.feedbackWidget ? "(feedback panel on)" : "",
          app.identity === "off" ? "" : `(signed identity: ${app.identity})`,
        ];
        process.stdout.write(`${[app.id, app.appKey, app.name, ...notes.filter((n) => n)].join("  ")}\n`);
      }
    },
  );
  adminCommand(
    apps,
    "create",
    "create an app; prints its public app key",
    async ({ metadata, subscriptionId, json }, args) => {
      const app = await createApp(metadata.db, { subscriptionId, name: args[0] ?? "", actor: "cli" });
      process.stdout.write(
        json
          ? `${JSON.stringify(app)}\n`
          : `Created app ${app.id} "${app.name}", public app key ${app.appKey}\n`,
      );
    },
  ).argument("<name>", "the app's name");

  adminCommand(
    apps,
    "roll-key",
    "give an app a new public key; the old one is accepted during the grace period",
    async ({ metadata, subscriptionId, json }, args, options) => {
      const days = Number(options.graceDays ?? 30);
      if (!Number.isFinite(days) || days < 0)
        throw new CairnError("bad_request", { message: "--grace-days must be a number of days, 0 or more." });
      const rolled = await rollAppKey(metadata.db, {
        subscriptionId,
        appId: args[0] ?? "",
        graceMs: days * 24 * 60 * 60 * 1000,
        actor: "cli",
      });
      process.stdout.write(
        json
          ? `${JSON.stringify({ appKey: rolled.appKey, previousAppKeyExpiresAt: rolled.previousAppKeyExpiresAt })}\n`
          : `New app key ${rolled.appKey}; update the snippet. The old key is accepted until ${rolled.previousAppKeyExpiresAt}.\n`,
      );
    },
  )
    .argument("<app-id>", "the app")
    .option("--grace-days <days>", "how long the old key stays accepted (default 30)", "30");

  adminCommand(
    apps,
    "origins",
    "set the origins an app's events may come from (none: any)",
    async ({ metadata, subscriptionId, json }, args) => {
      const [appId = "", ...origins] = args.flatMap((a) => a.split(",")).filter((a) => a.length > 0);
      const set = await setAllowedOrigins(metadata.db, { subscriptionId, appId, origins, actor: "cli" });
      process.stdout.write(
        json
          ? `${JSON.stringify({ allowedOrigins: set })}\n`
          : set.length === 0
            ? "Events are accepted from any origin.\n"
            : `Events are accepted only from: ${set.join(", ")}\n`,
      );
    },
  )
    .argument("<app-id>", "the app")
    .argument("[origins...]", "e.g. https://app.example.com https://*.example.com; none clears the list");

  adminCommand(
    apps,
    "feedback-widget",
    "turn the in-app feedback panel on or off for an app's agent",
    async ({ metadata, subscriptionId, json }, args) => {
      const [appId = "", state = ""] = args;
      if (state !== "on" && state !== "off")
        throw new CairnError("bad_request", { message: `Say "on" or "off", not "${state}".` });
      const enabled = await setFeedbackWidget(metadata.db, {
        subscriptionId,
        appId,
        enabled: state === "on",
        actor: "cli",
      });
      process.stdout.write(
        json
          ? `${JSON.stringify({ feedbackWidget: enabled })}\n`
          : enabled
            ? "The agent now offers the feedback panel (pages pick it up when the agent script is next loaded, within 5 minutes).\n"
            : "The feedback panel is off; the collector refuses its requests.\n",
      );
    },
  )
    .argument("<app-id>", "the app")
    .argument("<state>", "on or off");

  adminCommand(
    apps,
    "identity",
    "require a visitor identity token signed with the app's identity secret: off, panel or panel_and_events",
    async ({ metadata, subscriptionId, json }, args, options) => {
      const [appId = "", mode = ""] = args;
      if (!identityModes.includes(mode as IdentityMode))
        throw new CairnError("bad_request", {
          message: `Say ${identityModes.join(", ")}, not "${mode}".`,
        });
      const unsigned = options.unsignedEvents;
      if (unsigned !== undefined && !unsignedEventChoices.includes(unsigned as UnsignedEvents))
        throw new CairnError("bad_request", {
          message: `--unsigned-events must be flag or refuse, not "${String(unsigned)}".`,
        });
      const set = await setVisitorIdentity(metadata.db, {
        subscriptionId,
        appId,
        mode: mode as IdentityMode,
        ...(unsigned === undefined ? {} : { unsignedEvents: unsigned as UnsignedEvents }),
        actor: "cli",
      });
      const events =
        set.unsignedEvents === "flag"
          ? "stored flagged (unsigned_identity)"
          : "dropped and counted (unsigned_identity)";
      process.stdout.write(
        json
          ? `${JSON.stringify({ identity: set.mode, unsignedEvents: set.unsignedEvents })}\n`
          : set.mode === "off"
            ? "No signed identity is required; without a token the panel can create end users but never change one.\n"
            : `The feedback panel now requires an identity token${set.mode === "panel_and_events" ? `, and an identified visitor's events without one are ${events}` : ""}. Your back end signs it with the app's identity secret (cairn keys create --kind identity --app ${appId}); the page passes it as pendo.initialize({ visitor, account, identityToken }).\n`,
      );
    },
  )
    .argument("<app-id>", "the app")
    .argument("<mode>", "off, panel or panel_and_events")
    .option("--unsigned-events <choice>", "with panel_and_events: flag (store marked) or refuse (drop)");
}
