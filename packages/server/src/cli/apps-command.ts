import type { Command } from "commander";
import { createApp, listApps } from "../apps/app-service.js";
import { adminCommand } from "./with-metadata.js";

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
        process.stdout.write(`${app.id}  ${app.appKey}  ${app.name}${app.isDefault ? "  (default)" : ""}\n`);
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
}
