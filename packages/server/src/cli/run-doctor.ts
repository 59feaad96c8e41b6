import { existsSync } from "node:fs";
import { sql } from "kysely";
import type { CairnConfig } from "../platform/config/load-config.js";
import { prepareDataDir } from "../platform/config/prepare-data-dir.js";
import { redactUrl } from "../platform/config/store-url.js";
import { describeTrustProxy } from "../platform/config/trust-proxy.js";
import { EventStoreLockedError } from "../platform/errors/environment-errors.js";
import type { MetadataStore } from "../store/metadata/metadata-store.js";
import type { MigrationStatus } from "../store/migration-status.js";
import {
  openEventStores,
  openMetadataStore,
  openProfileStore,
  profilesTargetOf,
} from "../store/open-stores.js";

export type CheckState = "ok" | "note" | "problem";
export interface Check {
  readonly state: CheckState;
  readonly text: string;
}

function describeTarget(target: CairnConfig["metadata"] | CairnConfig["events"]): string {
  return "file" in target ? `${target.engine}:${target.file}` : redactUrl(target.url);
}

export function describeConfig(config: CairnConfig): string {
  const rows: Array<[string, string, string]> = [
    ["port", String(config.port), config.sources.port],
    ["host", config.host, config.sources.host],
    ["data dir", config.dataDir, config.sources.dataDir],
    ["metadata", describeTarget(config.metadata), config.sources.metadataUrl],
    ["events", describeTarget(config.events), config.sources.eventsUrl],
    ["public URL", config.publicUrl, config.sources.publicUrl],
    ["log level", config.logLevel, config.sources.logLevel],
    ["log format", config.logFormat, config.sources.logFormat],
    ["trusted proxies", describeTrustProxy(config.trustProxy), config.sources.trustProxy],
    ["public rate per app", `${config.publicRate.perApp}/s`, config.sources.publicRatePerApp],
    ["public rate per address", `${config.publicRate.perAddress}/s`, config.sources.publicRatePerAddress],
    ["webhook allow", config.webhooks.allow.join(",") || "(none)", config.sources.webhookAllow],
    ["webhook http", String(config.webhooks.allowHttp), config.sources.webhookAllowHttp],
    ["prepare timeout", `${config.prepareTimeoutMs} ms`, config.sources.prepareTimeoutMs],
    ["acknowledge", config.acknowledge, config.sources.acknowledge],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value, source]) => `  ${name.padEnd(width)}  ${value}   (${source})`).join("\n");
}

function migrationSummary(statuses: readonly MigrationStatus[]): string {
  const pending = statuses.filter((s) => !s.appliedAt).length;
  return pending === 0
    ? `migrations up to date (${statuses.length})`
    : `${pending} migration(s) pending: applied on the next \`cairn start\` or \`cairn migrate\``;
}

async function checkStore(
  label: string,
  file: string | null,
  open: () => Promise<{
    migrationStatus(): Promise<MigrationStatus[]>;
    engineVersion?(): Promise<string>;
    close(): Promise<void>;
  }>,
): Promise<Check> {
  if (file !== null && !existsSync(file)) {
    return { state: "note", text: `${label}: not created yet; the first \`cairn start\` creates it` };
  }
  try {
    const store = await open();
    try {
      const engine = store.engineVersion ? `${await store.engineVersion()}; ` : "";
      return {
        state: "ok",
        text: `${label}: opens; ${engine}${migrationSummary(await store.migrationStatus())}`,
      };
    } finally {
      await store?.close();
    }
  } catch (error) {
    if (error instanceof EventStoreLockedError) {
      return {
        state: "note",
        text: `${label}: in use by a running server, which is expected while \`cairn start\` runs`,
      };
    }
    return {
      state: "problem",
      text: `${label}: cannot be opened: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** Collations that order by code point, as SQLite does (docs/scale-out.md asks for one of them). */
const codePointCollation = /^(C|POSIX|C\.UTF-?8)$/i;

/**
 * Which PostgreSQL server, and whether the database orders text by code point. The database's row is read
 * whole as JSON, so the locale columns, renamed across versions (`daticulocale` in 15–16, `datlocale` from
 * 17), are read where they exist.
 */
async function checkPostgres(store: MetadataStore): Promise<Check[]> {
  const { rows } = await sql<{ version: string; database: Record<string, unknown> }>`
    select current_setting('server_version') as version, to_jsonb(d) as database
    from pg_database d where datname = current_database()`.execute(store.db);
  const row = rows[0];
  if (!row) return [{ state: "problem", text: "metadata database: not found in pg_database" }];
  const checks: Check[] = [{ state: "ok", text: `metadata database: PostgreSQL ${row.version}` }];
  const db = row.database;
  const provider = typeof db.datlocprovider === "string" ? db.datlocprovider : "c";
  const collation = String(
    provider === "c" ? db.datcollate : (db.datlocale ?? db.daticulocale ?? db.datcollate),
  );
  const kind = provider === "i" ? "ICU " : "";
  checks.push(
    provider !== "i" && codePointCollation.test(collation)
      ? {
          state: "ok",
          text: `metadata database: collation ${collation} orders text by code point, as SQLite`,
        }
      : {
          state: "note",
          text:
            `metadata database: collation is ${kind}${collation}, not C.UTF-8: ids and names sort differently ` +
            "from SQLite; create the database with --locale=C.UTF-8 (docs/scale-out.md)",
        },
  );
  return checks;
}

async function checkServer(publicUrl: string): Promise<Check> {
  try {
    const response = await fetch(`${publicUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
    const body = (await response.json()) as { status?: string; version?: string };
    return response.ok
      ? { state: "ok", text: `server at ${publicUrl} answers /healthz (version ${body.version ?? "?"})` }
      : {
          state: "problem",
          text: `server at ${publicUrl} answers /healthz with ${response.status} (${body.status ?? "?"})`,
        };
  } catch {
    return {
      state: "note",
      text: `no server answers at ${publicUrl}; start one with \`npm start\` or \`cairn start\``,
    };
  }
}

/** Checks what can be checked without changing anything: folders, stores, migrations, a running server. */
export async function runDoctor(config: CairnConfig): Promise<Check[]> {
  const checks: Check[] = [];
  if (!existsSync(config.dataDir)) {
    // Doctor changes nothing: the first start creates the folder and the embedded stores (which are then
    // reported as not created yet); stores on a server are checked all the same.
    checks.push({
      state: "note",
      text: `data folder ${config.dataDir} does not exist yet; the first \`cairn start\` creates it`,
    });
  } else {
    try {
      prepareDataDir(config);
      checks.push({ state: "ok", text: `data folder ${config.dataDir} is writable` });
    } catch (error) {
      checks.push({ state: "problem", text: error instanceof Error ? error.message : String(error) });
      return checks;
    }
  }
  const metadataCheck = await checkStore(
    `metadata store (${describeTarget(config.metadata)})`,
    config.metadata.engine === "sqlite" ? config.metadata.file : null,
    () => openMetadataStore(config.metadata),
  );
  checks.push(metadataCheck);
  if (config.metadata.engine === "postgres" && metadataCheck.state === "ok") {
    let store: MetadataStore | null = null;
    try {
      store = await openMetadataStore(config.metadata);
      checks.push(...(await checkPostgres(store)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      checks.push({ state: "problem", text: `metadata database: cannot read its version: ${message}` });
    } finally {
      await store?.close();
    }
  }
  checks.push(
    await checkStore(
      `event store (${describeTarget(config.events)})`,
      config.events.engine === "duckdb" ? config.events.file : null,
      async () => (await openEventStores(config.events)).sink,
    ),
  );
  const profiles = profilesTargetOf(config);
  checks.push(
    await checkStore(
      `profile store (${"file" in profiles ? `${profiles.engine}:${profiles.file}` : redactUrl(profiles.url)})`,
      profiles.engine === "sqlite" ? profiles.file : null,
      () => openProfileStore(profiles),
    ),
  );
  checks.push(await checkServer(config.publicUrl));
  return checks;
}
