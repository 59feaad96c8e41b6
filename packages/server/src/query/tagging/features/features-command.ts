import type { Command } from "commander";
import { adminCommand } from "../../../access/admin-command.js";
import { textTable } from "../../../platform/cli/text-table.js";
import { appForCommand } from "../shared/app-of.js";
import { collect, listOption, print } from "../shared/cli-options.js";
import { everyObject } from "../shared/object-filter.js";
import { createFeature, deleteFeature, listFeatures } from "./feature-service.js";
import type { PendoFeature } from "./feature-shape.js";

function whereOf(feature: PendoFeature): string {
  return feature.appWide ? "app-wide" : `page ${feature.pageId}`;
}

export function registerFeaturesCommand(program: Command): void {
  const features = program
    .command("features")
    .description("tagged features: clicks on elements that match a CSS selector");

  adminCommand(
    features,
    "add",
    "tag a feature: clicks on elements that match a --selector",
    async (context, args, options) => {
      const { metadata, subscriptionId, json } = context;
      const pageId = typeof options.page === "string" ? options.page : null;
      const feature = await createFeature(
        metadata.db,
        subscriptionId,
        {
          name: args[0] ?? "",
          // With --page, the page's app unless --app says otherwise.
          appId:
            pageId !== null && options.app === undefined
              ? null
              : await appForCommand(metadata.db, subscriptionId, options.app),
          elementPathRules: listOption(options, "selector"),
          pageId,
          ...(options.appWide === true ? { appWide: true } : {}),
        },
        { id: "cli" },
      );
      print(
        json
          ? JSON.stringify(feature)
          : `Added feature ${feature.id} "${feature.name}" (app ${feature.appId}, ${whereOf(feature)}): ${feature.elementPathRules.join("  ")}.`,
      );
    },
  )
    .argument("<name>", "the feature's name, unique in its app")
    .requiredOption(
      "--selector <css>",
      "a CSS selector such as button#save or .toolbar > .btn-primary (repeatable)",
      collect,
    )
    .option("--page <id>", "count only clicks on this page (see cairn pages list)")
    .option("--app-wide", "with --page: count clicks on every page all the same")
    .option("--app <id>", "the app (default: the page's app, or the subscription's only app)");

  adminCommand(
    features,
    "list",
    "list the tagged features of every app",
    async ({ metadata, subscriptionId, json }) => {
      const list = await listFeatures(metadata.db, subscriptionId, everyObject);
      if (json) return print(JSON.stringify(list));
      print(
        list.length === 0
          ? "No features yet: tag one with `cairn features add NAME --selector 'button#save'`."
          : textTable(
              ["ID", "APP", "NAME", "WHERE", "SELECTORS"],
              list.map((f) => [f.id, f.appId, f.name, whereOf(f), f.elementPathRules.join("  ")]),
            ),
      );
    },
  );

  adminCommand(features, "rm", "delete a feature", async (context, args) => {
    const feature = await deleteFeature(context.metadata.db, context.subscriptionId, args[0] ?? "", {
      id: "cli",
    });
    print(context.json ? JSON.stringify(feature) : `Removed feature ${feature.id} "${feature.name}".`);
  })
    .alias("remove")
    .argument("<id>", "the feature to delete (see cairn features list)");
}
