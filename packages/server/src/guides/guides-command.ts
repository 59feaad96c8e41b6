import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { adminCommand } from "../access/admin-command.js";
import { textTable } from "../platform/cli/text-table.js";
import { CairnError } from "../platform/errors/cairn-error.js";
import { print } from "../query/tagging/shared/cli-options.js";
import { resetGuideForVisitor } from "./guide-resets.js";
import { createGuide, deleteGuide, listGuides, setGuideState } from "./guide-service.js";

async function guideFromFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new CairnError("bad_request", {
      message: `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}.`,
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CairnError("bad_request", {
      message: `${file} is not valid JSON (a guide, as docs/guides.md shows).`,
    });
  }
}

/** `cairn guides list|add FILE.json|state ID STATE|rm ID|reset ID|all VISITOR`. */
export function registerGuidesCommand(program: Command): void {
  const guides = program
    .command("guides")
    .description("in-app guides: their steps, polls, state and targeting");

  adminCommand(guides, "list", "list the guides", async ({ metadata, subscriptionId, json }) => {
    const list = await listGuides(metadata.db, subscriptionId);
    if (json) return print(JSON.stringify(list));
    print(
      list.length === 0
        ? "No guides yet: add one with `cairn guides add FILE.json` (docs/guides.md)."
        : textTable(
            ["ID", "NAME", "STATE", "LAUNCH", "STEPS"],
            list.map((g) => [g.id, g.name, g.state, g.launchMethod, String(g.steps.length)]),
          ),
    );
  });

  adminCommand(
    guides,
    "add",
    "add a guide (a draft) from a JSON file",
    async ({ metadata, subscriptionId, json }, args) => {
      const guide = await createGuide(metadata.db, subscriptionId, await guideFromFile(args[0] ?? ""), {
        id: "cli",
      });
      print(
        json
          ? JSON.stringify(guide)
          : `Added guide ${guide.id} "${guide.name}" (draft, ${guide.steps.length} steps).`,
      );
    },
  ).argument("<file>", "the guide as JSON (docs/guides.md)");

  adminCommand(
    guides,
    "state",
    "move a guide to draft, staged, public or disabled",
    async ({ metadata, subscriptionId, json }, args) => {
      const guide = await setGuideState(metadata.db, subscriptionId, args[0] ?? "", args[1], { id: "cli" });
      print(json ? JSON.stringify(guide) : `Guide ${guide.id} "${guide.name}" is ${guide.state}.`);
    },
  )
    .argument("<id>", "the guide (see cairn guides list)")
    .argument("<state>", "draft, staged, public or disabled");

  adminCommand(guides, "rm", "delete a guide", async ({ metadata, subscriptionId, json }, args) => {
    const guide = await deleteGuide(metadata.db, subscriptionId, args[0] ?? "", { id: "cli" });
    print(json ? JSON.stringify(guide) : `Removed guide ${guide.id} "${guide.name}".`);
  })
    .alias("remove")
    .argument("<id>", "the guide to delete");

  adminCommand(
    guides,
    "reset",
    "reset a guide (or all) for a visitor: their earlier guide events no longer count",
    async ({ metadata, subscriptionId, json }, args) => {
      const id = args[0] ?? "";
      const reset = await resetGuideForVisitor(
        metadata.db,
        subscriptionId,
        id === "all" ? null : id,
        args[1] ?? "",
        {
          id: "cli",
        },
      );
      print(
        json
          ? JSON.stringify(reset)
          : `Reset ${reset.guideId === null ? "every guide" : `guide ${reset.guideId}`} for visitor ${reset.visitorId}.`,
      );
    },
  )
    .argument("<id>", "the guide, or all")
    .argument("<visitor>", "the visitor's id");
}
