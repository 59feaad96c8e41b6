import type { Command } from "commander";
import { adminCommand } from "../../../access/admin-command.js";
import { textTable } from "../../../platform/cli/text-table.js";
import { appForCommand } from "../shared/app-of.js";
import { collect, listOption, print } from "../shared/cli-options.js";
import { everyObject } from "../shared/object-filter.js";
import { createPage, deletePage, listPages } from "./page-service.js";
import type { PendoPage } from "./page-shape.js";

function rulesOf(page: PendoPage): string {
  return [...page.rules.map((r) => r.rule), ...page.excludeRules.map((r) => `not ${r.rule}`)].join("  ");
}

export function registerPagesCommand(program: Command): void {
  const pages = program.command("pages").description("tagged pages: the URLs that count as one page");

  adminCommand(
    pages,
    "add",
    "tag a page: URLs that match a --rule and no --exclude-rule",
    async (context, args, options) => {
      const { metadata, subscriptionId, json } = context;
      const page = await createPage(
        metadata.db,
        subscriptionId,
        {
          name: args[0] ?? "",
          appId: await appForCommand(metadata.db, subscriptionId, options.app),
          rules: listOption(options, "rule"),
          excludeRules: listOption(options, "excludeRule"),
        },
        { id: "cli" },
      );
      print(
        json
          ? JSON.stringify(page)
          : `Added page ${page.id} "${page.name}" (app ${page.appId}): ${rulesOf(page)}.`,
      );
    },
  )
    .argument("<name>", "the page's name, unique in its app")
    .requiredOption("--rule <rule>", "a page rule such as //*/dashboard/* (repeat for more)", collect)
    .option("--exclude-rule <rule>", "URLs that match it are not on the page (repeatable)", collect)
    .option("--app <id>", "the app (default: the subscription's only app)");

  adminCommand(
    pages,
    "list",
    "list the tagged pages of every app",
    async ({ metadata, subscriptionId, json }) => {
      const list = await listPages(metadata.db, subscriptionId, everyObject);
      if (json) return print(JSON.stringify(list));
      print(
        list.length === 0
          ? "No pages yet: tag one with `cairn pages add NAME --rule '//*/path/*'`."
          : textTable(
              ["ID", "APP", "NAME", "RULES"],
              list.map((p) => [p.id, p.appId, p.name, rulesOf(p)]),
            ),
      );
    },
  );

  adminCommand(
    pages,
    "rm",
    "delete a page (refused while features are tagged on it)",
    async (context, args) => {
      const page = await deletePage(context.metadata.db, context.subscriptionId, args[0] ?? "", {
        id: "cli",
      });
      print(context.json ? JSON.stringify(page) : `Removed page ${page.id} "${page.name}".`);
    },
  )
    .alias("remove")
    .argument("<id>", "the page to delete (see cairn pages list)");
}
