import { readFile } from "node:fs/promises";
import { text as streamText } from "node:stream/consumers";
import type { Command } from "commander";
import { resolveSubscription } from "../../../access/admin-command.js";
import { exitOnError } from "../../../platform/cli/exit-on-error.js";
import { configFlags, withConfigOptions } from "../../../platform/config/config-options.js";
import { loadConfig } from "../../../platform/config/load-config.js";
import { prepareDataDir } from "../../../platform/config/prepare-data-dir.js";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import { EventStoreLockedError } from "../../../platform/errors/environment-errors.js";
import {
  openEventStores,
  openMetadataStore,
  openProfileStore,
  profilesTargetOf,
} from "../../../store/open-stores.js";
import { aggregationDeps } from "../aggregation-deps.js";
import { type AggregationAnswer, runAggregation } from "../run/run-aggregation.js";
import { resultTable } from "./result-table.js";

const keyVariable = "CAIRN_INTEGRATION_KEY";

async function readRequest(file: string): Promise<unknown> {
  let text: string;
  try {
    text = file === "-" ? await streamText(process.stdin) : await readFile(file, "utf8");
  } catch (error) {
    throw new CairnError("bad_request", {
      message: `Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new CairnError("bad_request", {
      message: `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  // A bare pipeline is the quickest thing to write by hand.
  return Array.isArray(body)
    ? { response: { mimeType: "application/json" }, request: { pipeline: body } }
    : body;
}

/** Asks a running server (Cairn's or Pendo's: the paths are the same) with an integration key from the environment. */
async function askServer(url: string, body: unknown, env: NodeJS.ProcessEnv): Promise<AggregationAnswer> {
  const key = env[keyVariable];
  if (!key)
    throw new CairnError("missing_key", {
      message: `Set ${keyVariable} to an integration key to ask ${url} (a read-only one is enough: cairn keys create --kind integration).`,
      hint: "Keys are read from the environment, never from flags, which shell histories and process lists keep.",
    });
  const response = await fetch(new URL("/api/v1/aggregation", url), {
    method: "POST",
    headers: { "content-type": "application/json", "x-pendo-integration-key": key },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    throw new CairnError("bad_request", {
      message: `${url} answered ${response.status} with something that is not JSON.`,
    });
  }
  if (!response.ok) {
    const error = (answer as { error?: { message?: string; hint?: string } }).error;
    throw new CairnError("bad_request", {
      message: `${url} answered ${response.status}: ${error?.message ?? text.slice(0, 500)}${error?.hint ? ` ${error.hint}` : ""}`,
    });
  }
  return answer as AggregationAnswer;
}

/** Runs the aggregation on this data folder's stores; the embedded event store must not be open in `cairn start`. */
async function askLocally(options: Record<string, unknown>, body: unknown): Promise<AggregationAnswer> {
  const config = loadConfig(configFlags(options), process.env, process.cwd());
  prepareDataDir(config);
  const metadata = await openMetadataStore(config.metadata);
  try {
    await metadata.migrate();
    const subscriptionId = await resolveSubscription(metadata, options.subscription);
    let events: Awaited<ReturnType<typeof openEventStores>>;
    try {
      events = await openEventStores(config.events);
    } catch (error) {
      if (error instanceof EventStoreLockedError)
        throw new CairnError("bad_request", {
          message: `cairn start is running on this data folder and holds its event store. Ask it instead: ${keyVariable}=<integration key> cairn query FILE --url ${config.publicUrl}`,
        });
      throw error;
    }
    const profiles = await openProfileStore(profilesTargetOf(config));
    try {
      await events.sink.migrate();
      await profiles.migrate();
      return await runAggregation(
        aggregationDeps({ metadata, events: events.query, profiles, profileMirror: events.profileMirror }),
        subscriptionId,
        body,
      );
    } finally {
      await profiles.close();
      await events.sink.close();
    }
  } finally {
    await metadata.close();
  }
}

/** `cairn query FILE.json`: runs an aggregation and prints its rows as a table, or the answer as JSON. */
export function registerQueryCommand(program: Command): void {
  withConfigOptions(
    program
      .command("query")
      .description("run an aggregation (a request body, or just its pipeline, as JSON) and print the rows")
      .argument("<file>", 'a JSON file, or "-" for standard input')
      .option("--json", "print the answer as JSON instead of a table")
      .option("--url <url>", `ask this server instead of the local data folder (key in ${keyVariable})`)
      .option("--subscription <id>", "subscription to ask about (default: the only one)"),
  ).action(async (file: string, options: Record<string, unknown>) => {
    try {
      const body = await readRequest(file);
      const answer =
        typeof options.url === "string"
          ? await askServer(options.url, body, process.env)
          : await askLocally(options, body);
      if (options.json === true) process.stdout.write(`${JSON.stringify(answer)}\n`);
      else {
        if (answer.results.length > 0) process.stdout.write(`${resultTable(answer.results)}\n`);
        process.stderr.write(`${answer.results.length} row${answer.results.length === 1 ? "" : "s"}\n`);
      }
    } catch (error) {
      exitOnError(error);
    }
  });
}
