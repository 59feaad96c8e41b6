import type { Command } from "commander";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { adminCommand } from "../admin-command.js";
import { maxAutoGuideThrottleHours, type SubscriptionChange } from "./subscription-change.js";
import { updateSubscriptionSettings } from "./subscription-settings.js";

/** The change the options name, or the error that says which values they take. */
function changeFrom(keys: unknown, exposed: unknown, throttle: unknown): SubscriptionChange {
  if (keys === undefined && exposed === undefined && throttle === undefined) {
    throw new CairnError("bad_request", {
      message:
        "Name a setting: --integration-keys on|off, --exposed-keys notify|revoke or --auto-guide-throttle-hours N.",
    });
  }
  if (keys !== undefined && keys !== "on" && keys !== "off") {
    throw new CairnError("bad_request", { message: "--integration-keys must be on or off." });
  }
  if (exposed !== undefined && exposed !== "notify" && exposed !== "revoke") {
    throw new CairnError("bad_request", { message: "--exposed-keys must be notify or revoke." });
  }
  const hours = throttle === undefined ? undefined : Number(throttle);
  if (hours !== undefined && (!/^\d+$/.test(String(throttle)) || hours > maxAutoGuideThrottleHours)) {
    throw new CairnError("bad_request", {
      message: `--auto-guide-throttle-hours must be a whole number from 0 (off) to ${maxAutoGuideThrottleHours}.`,
    });
  }
  return {
    ...(keys === undefined ? {} : { integrationKeysEnabled: keys === "on" }),
    ...(exposed === undefined ? {} : { exposedKeyPolicy: exposed }),
    ...(hours === undefined ? {} : { autoGuideThrottleHours: hours }),
  };
}

export function registerSubscriptionCommand(program: Command): void {
  const subscription = program.command("subscription").description("subscription settings");
  adminCommand(
    subscription,
    "update",
    "change subscription settings (as its owner)",
    async ({ metadata, subscriptionId }, _args, options) => {
      const change = changeFrom(options.integrationKeys, options.exposedKeys, options.autoGuideThrottleHours);
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
      if (change.autoGuideThrottleHours !== undefined) {
        process.stdout.write(
          change.autoGuideThrottleHours === 0
            ? "Automatic guides are not throttled.\n"
            : `A visitor now sees at most one automatic guide per ${change.autoGuideThrottleHours} hours.\n`,
        );
      }
    },
  )
    .option("--integration-keys <on|off>", "allow integration keys for this subscription (keys.md rule 1)")
    .option("--exposed-keys <notify|revoke>", "what happens to a secret key sent from a browser")
    .option(
      "--auto-guide-throttle-hours <n>",
      "at most one automatic guide per visitor per n hours (0: off)",
    );
}
