import type { Command } from "commander";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { adminCommand } from "../admin-command.js";
import { recordAudit } from "../audit/audit-log.js";
import { setIntegrationKeysEnabled } from "../keys/key-service.js";

export function registerSubscriptionCommand(program: Command): void {
  const subscription = program.command("subscription").description("subscription settings");
  adminCommand(
    subscription,
    "update",
    "change subscription settings (as its owner)",
    async ({ metadata, subscriptionId }, _args, options) => {
      const keys = options.integrationKeys;
      const exposed = options.exposedKeys;
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
      if (keys !== undefined) {
        await setIntegrationKeysEnabled(metadata.db, {
          subscriptionId,
          enabled: keys === "on",
          actor: "cli",
        });
        process.stdout.write(
          `Integration keys are now ${keys === "on" ? "enabled" : "disabled"} for ${subscriptionId}.\n`,
        );
      }
      if (exposed !== undefined) {
        await metadata.db.transaction().execute(async (trx) => {
          await trx
            .updateTable("subscriptions")
            .set({ exposed_key_policy: exposed })
            .where("id", "=", subscriptionId)
            .execute();
          await recordAudit(trx, {
            subscriptionId,
            actor: "cli",
            action: "subscription.updated",
            target: subscriptionId,
            detail: { exposedKeyPolicy: exposed },
          });
        });
        process.stdout.write(
          exposed === "revoke"
            ? "A secret key seen on a browser endpoint is now revoked at once (and flagged).\n"
            : "A secret key seen on a browser endpoint is now flagged and audited, not revoked.\n",
        );
      }
    },
  )
    .option("--integration-keys <on|off>", "allow integration keys for this subscription (keys.md rule 1)")
    .option("--exposed-keys <notify|revoke>", "what happens to a secret key sent from a browser");
}
