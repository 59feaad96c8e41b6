import type { Command } from "commander";
import { adminCommand } from "../../../access/admin-command.js";
import { textTable } from "../../../platform/cli/text-table.js";
import { appForCommand } from "../shared/app-of.js";
import { print } from "../shared/cli-options.js";
import { everyObject } from "../shared/object-filter.js";
import { discoverFromCli } from "./discover-from-cli.js";
import { createTrackType, deleteTrackType, listTrackTypes } from "./track-type-service.js";

export function registerTrackTypesCommand(program: Command): void {
  const trackTypes = program
    .command("track-types")
    .description("track event types: one per event name an app sends (pendo.track, POST /data/track)");

  adminCommand(
    trackTypes,
    "list",
    "list the track types of every app, after adding those of new track events",
    async (context) => {
      const { metadata, subscriptionId, json, config } = context;
      const discovery = await discoverFromCli(config, metadata, subscriptionId);
      if ("skipped" in discovery && discovery.skipped !== "no events yet") {
        process.stderr.write(`cairn: note: ${discovery.skipped}.\n`);
      }
      const list = await listTrackTypes(metadata.db, subscriptionId, everyObject);
      if (json) return print(JSON.stringify(list));
      print(
        list.length === 0
          ? "No track types yet: they appear with the first track events (pendo.track), or add one with `cairn track-types add NAME`."
          : textTable(
              ["ID", "APP", "NAME", "EVENT NAME"],
              list.map((t) => [t.id, t.appId, t.name, t.trackTypeName]),
            ),
      );
    },
  );

  adminCommand(
    trackTypes,
    "add",
    "add a track type for an event name before its first event arrives",
    async (context, args, options) => {
      const { metadata, subscriptionId, json } = context;
      const trackType = await createTrackType(
        metadata.db,
        subscriptionId,
        {
          trackTypeName: args[0] ?? "",
          appId: await appForCommand(metadata.db, subscriptionId, options.app),
        },
        { id: "cli" },
      );
      print(
        json
          ? JSON.stringify(trackType)
          : `Added track type ${trackType.id} "${trackType.trackTypeName}" (app ${trackType.appId}).`,
      );
    },
  )
    .argument("<name>", "the event name, as pendo.track(name) sends it")
    .option("--app <id>", "the app (default: the subscription's only app)");

  adminCommand(
    trackTypes,
    "rm",
    "delete a track type (events of that name received later bring it back)",
    async (context, args) => {
      const trackType = await deleteTrackType(context.metadata.db, context.subscriptionId, args[0] ?? "", {
        id: "cli",
      });
      print(
        context.json
          ? JSON.stringify(trackType)
          : `Removed track type ${trackType.id} "${trackType.trackTypeName}".`,
      );
    },
  )
    .alias("remove")
    .argument("<id>", "the track type to delete (see cairn track-types list)");
}
