import type { Command } from "commander";
import { CairnError } from "../errors/cairn-error.js";
import { setIntegrationKeysEnabled } from "../keys/key-service.js";
import { adminCommand } from "./with-metadata.js";

export function registerSubscriptionCommand(program: Command): void {
  const subscription = program.command("subscription").description("subscription settings");
  adminCommand(
    subscription,
    "update",
    "change subscription settings (as its owner)",
    async ({ metadata, subscriptionId }, _args, options) => {
      const value = options.integrationKeys;
      if (value !== "on" && value !== "off") {
        throw new CairnError("bad_request", { message: "--integration-keys must be on or off." });
      }
      await setIntegrationKeysEnabled(metadata.db, { subscriptionId, enabled: value === "on", actor: "cli" });
      process.stdout.write(
        `Integration keys are now ${value === "on" ? "enabled" : "disabled"} for ${subscriptionId}.\n`,
      );
    },
  ).requiredOption(
    "--integration-keys <on|off>",
    "allow integration keys for this subscription (keys.md rule 1)",
  );
}
