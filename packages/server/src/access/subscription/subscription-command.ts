import type { Command } from "commander";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { adminCommand } from "../admin-command.js";
import type { SubscriptionChange } from "./subscription-change.js";
import { updateSubscriptionSettings } from "./subscription-settings.js";

/** The change the options name, or the error that says which values they take. */
function changeFrom(keys: unknown, exposed: unknown): SubscriptionChange {
  if (keys === undefined && exposed === undefined) {
    throw new CairnError("bad_request", {
      message: "Name a setting: --integration-keys on|off or --exposed-keys notify|revoke.",
    });
  }
  if (keys !== undefined && keys !== "on" && keys !== "off") {
    throw new CairnError("bad_request", { message: "--integration-keys must be on or off." });
  }
  if (exposed !== undefined && exposed !== "notify" && exposed !== "revoke") {
    throw new CairnError("bad_request", { message: "--exposed-keys must be notify or revoke." });
  }
  return {
    ...(keys === undefined ? {} : { integrationKeysEnabled: keys === "on" }),
    ...(exposed === undefined ? {} : { exposedKeyPolicy: exposed }),
  };
}

export function registerSubscriptionCommand(program: Command): void {
  const subscription = program.command("subscription").description("subscription settings");
  adminCommand(
    subscription,
    "update",
    "change subscription settings (as its owner)",
    async ({ metadata, subscriptionId }, _args, options) => {
      const change = changeFrom(options.integrationKeys, options.exposedKeys);
      await updateSubscriptionSettings(metadata.db, subscriptionId, change, "cli");
      if (change.integrationKeysEnabled !== undefined) {
        process.stdout.write(
          `Integration keys are now ${change.integrationKeysEnabled ? "enabled" : "disabled"} for ${subscriptionId}.\n`,
        );
      }
      if (change.exposedKeyPolicy !== undefined) {
        process.stdout.write(
          change.exposedKeyPolicy === "revoke"
            ? "A secret key seen on a browser endpoint is now revoked at once (and flagged).\n"
            : "A secret key seen on a browser endpoint is now flagged and audited, not revoked.\n",
        );
      }
    },
  )
    .option("--integration-keys <on|off>", "allow integration keys for this subscription (keys.md rule 1)")
    .option("--exposed-keys <notify|revoke>", "what happens to a secret key sent from a browser");
}
