import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { adminCommand } from "../../access/admin-command.js";
import { textTable } from "../../platform/cli/text-table.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { EventStoreLockedError } from "../../platform/errors/environment-errors.js";
import { openEventStores, openProfileStore, profilesTargetOf } from "../../store/open-stores.js";
import { aggregationDeps } from "../aggregation/aggregation-deps.js";
import { print } from "../tagging/shared/cli-options.js";
import { ruleRunner } from "./segment-rule-run.js";
import { createSegment, deleteSegment, listSegments, refreshSegment } from "./segment-service.js";

/** Visitor ids from a file: a JSON array of strings, or one id per line (blank lines skipped). */
async function visitorsFromFile(file: unknown): Promise<unknown[]> {
  if (typeof file !== "string")
    throw new CairnError("bad_request", {
      message: "Name the file of visitor ids with --visitors-file FILE.",
    });
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new CairnError("bad_request", {
      message: `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}.`,
    });
  }
  if (text.trimStart().startsWith("[")) {
    try {
      const list: unknown = JSON.parse(text);
      if (Array.isArray(list)) return list;
    } catch {
      throw new CairnError("bad_request", {
        message: `${file} starts like a JSON list but is not valid JSON.`,
      });
    }
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** `cairn segments list|add NAME --visitors-file F|refresh ID|rm ID`. */
export function registerSegmentsCommand(program: Command): void {
  const segments = program
    .command("segments")
    .description("segments: named lists of visitor ids, for the aggregation's segment stage");

  adminCommand(segments, "list", "list the segments", async ({ metadata, subscriptionId, json }) => {
    const list = await listSegments(metadata.db, subscriptionId);
    if (json) return print(JSON.stringify(list));
    print(
      list.length === 0
        ? "No segments yet: add one with `cairn segments add NAME --visitors-file FILE`."
        : textTable(
            ["ID", "NAME", "VISITORS", "BY API", "RULE"],
            list.map((s) => [
              s.id,
              s.name,
              String(s.visitorCount),
              s.createdByApi ? "yes" : "no",
              s.rule === null ? "-" : `${s.rule.length} condition${s.rule.length === 1 ? "" : "s"}`,
            ]),
          ),
    );
  });

  adminCommand(
    segments,
    "add",
    "add a segment of the visitor ids in a file (a JSON list, or one id per line)",
    async ({ metadata, subscriptionId, json }, args, options) => {
      const visitors = await visitorsFromFile(options.visitorsFile);
      const segment = await createSegment(
        metadata.db,
        subscriptionId,
        { name: args[0] ?? "", visitors },
        { id: "cli" },
        { createdByApi: false },
      );
      print(
        json
          ? JSON.stringify(segment)
          : `Added segment ${segment.id} "${segment.name}" with ${segment.visitorCount.toLocaleString("en")} visitors.`,
      );
    },
  )
    .argument("<name>", "the segment's name")
    .requiredOption("--visitors-file <file>", "the visitor ids: a JSON list, or one per line");

  adminCommand(
    segments,
    "refresh",
    "run a rule segment's rule again and make the visitors it matches now its members",
    async ({ metadata, subscriptionId, json, config }, args) => {
      let events: Awaited<ReturnType<typeof openEventStores>>;
      try {
        events = await openEventStores(config.events);
      } catch (error) {
        if (error instanceof EventStoreLockedError)
          throw new CairnError("bad_request", {
            message:
              "cairn start is running on this data folder and holds its event store: refresh the segment in the web app (its Refresh button) or with POST /api/admin/segments/:id/refresh.",
          });
        throw error;
      }
      const profiles = await openProfileStore(profilesTargetOf(config));
      try {
        await events.sink.migrate();
        await profiles.migrate();
        const runner = ruleRunner(
          aggregationDeps({ metadata, events: events.query, profiles, profileMirror: events.profileMirror }),
        );
        const segment = await refreshSegment(metadata.db, runner, subscriptionId, args[0] ?? "", {
          id: "cli",
        });
        print(
          json
            ? JSON.stringify(segment)
            : `Refreshed segment ${segment.id} "${segment.name}": ${segment.visitorCount.toLocaleString("en")} visitors match its rule.`,
        );
      } finally {
        await profiles.close();
        await events.sink.close();
      }
    },
  ).argument("<id>", "the rule segment to refresh (see cairn segments list)");

  adminCommand(segments, "rm", "delete a segment", async ({ metadata, subscriptionId, json }, args) => {
    const segment = await deleteSegment(metadata.db, subscriptionId, args[0] ?? "", { id: "cli" });
    print(json ? JSON.stringify(segment) : `Removed segment ${segment.id} "${segment.name}".`);
  })
    .alias("remove")
    .argument("<id>", "the segment to delete (see cairn segments list)");
}
