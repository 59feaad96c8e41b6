import type { Command } from "commander";
import { exitOnError } from "../platform/cli/exit-on-error.js";
import { configFlags, withConfigOptions } from "../platform/config/config-options.js";
import { type CairnConfig, loadConfig } from "../platform/config/load-config.js";
import { prepareDataDir } from "../platform/config/prepare-data-dir.js";
import { CairnError } from "../platform/errors/cairn-error.js";
import type { MetadataStore } from "../store/metadata/metadata-store.js";
import { openMetadataStore } from "../store/open-stores.js";

export interface AdminContext {
  readonly metadata: MetadataStore;
  readonly subscriptionId: string;
  readonly json: boolean;
  /** Where sign-in links point. */
  readonly publicUrl: string;
  /** For the few commands that open another store themselves (`cairn track-types list` reads the events). */
  readonly config: CairnConfig;
}

/** The subscription a command acts on: the one named, or the only one there is. */
export async function resolveSubscription(metadata: MetadataStore, named: unknown): Promise<string> {
  const rows = await metadata.db.selectFrom("subscriptions").select("id").orderBy("created_at").execute();
  if (typeof named === "string") {
    if (!rows.some((r) => r.id === named))
      throw new CairnError("not_found", { message: `No subscription ${named}.` });
    return named;
  }
  const [only, ...others] = rows;
  if (!only)
    throw new CairnError("not_found", { message: "No subscription yet: run `cairn start` once first." });
  if (others.length > 0) {
    throw new CairnError("bad_request", {
      message: `This server has ${rows.length} subscriptions; name one with --subscription (${rows.map((r) => r.id).join(", ")}).`,
    });
  }
  return only.id;
}

/**
 * Admin commands work on the metadata store only, so they run while `cairn start` runs on the same data
 * folder (SQLite in WAL mode takes both; DuckDB, which admits one writing process, is never opened).
 */
export function adminCommand(
  parent: Command,
  name: string,
  description: string,
  run: (context: AdminContext, args: string[], options: Record<string, unknown>) => Promise<void>,
): Command {
  const command = withConfigOptions(parent.command(name).description(description))
    .option("--subscription <id>", "subscription to act on (default: the only one)")
    .option("--json", "print JSON instead of text");
  command.action(async (...received: unknown[]) => {
    const options = received.at(-2) as Record<string, unknown>;
    const args = received
      .slice(0, -2)
      .flatMap((a) => (Array.isArray(a) ? a : [a]))
      .filter((a): a is string => typeof a === "string");
    let metadata: MetadataStore | undefined;
    try {
      const config = loadConfig(configFlags(options), process.env, process.cwd());
      prepareDataDir(config);
      metadata = await openMetadataStore(config.metadata);
      await metadata.migrate();
      const subscriptionId = await resolveSubscription(metadata, options.subscription);
      await run(
        { metadata, subscriptionId, json: options.json === true, publicUrl: config.publicUrl, config },
        args,
        options,
      );
    } catch (error) {
      await metadata?.close();
      exitOnError(error);
    }
    await metadata.close();
  });
  return command;
}
