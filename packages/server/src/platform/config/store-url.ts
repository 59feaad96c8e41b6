import path from "node:path";

export type MetadataTarget = { engine: "sqlite"; file: string } | { engine: "postgres"; url: string };
export type EventsTarget = { engine: "duckdb"; file: string } | { engine: "clickhouse"; url: string };

/** Splits `scheme:rest` and says which scheme it is; `null` when the scheme is not one we know. */
function splitScheme(url: string): { scheme: string; rest: string } | null {
  const match = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(url);
  if (!match?.[1] || match[2] === undefined) return null;
  return { scheme: match[1].toLowerCase(), rest: match[2] };
}

function embeddedFile(rest: string, cwd: string): string {
  // Accept both `sqlite:./data/x` and `sqlite:///abs/x` (the URL form some tools write).
  const plain = rest.startsWith("//") ? rest.slice(2) : rest;
  return path.resolve(cwd, plain);
}

export function parseMetadataUrl(url: string, cwd: string): MetadataTarget | string {
  const parts = splitScheme(url);
  if (parts?.scheme === "sqlite" && parts.rest.length > 0)
    return { engine: "sqlite", file: embeddedFile(parts.rest, cwd) };
  if (parts?.scheme === "postgres" || parts?.scheme === "postgresql") return { engine: "postgres", url };
  return `must be sqlite:<file> or postgres://…, got "${redactUrl(url)}"`;
}

/**
 * The ClickHouse database a `clickhouse://…/database` or `chdb:/folder?database=name` URL names (default
 * `cairn`), or what is wrong with it: it goes into statements as an identifier, so letters, digits and _ only.
 */
export function clickhouseDatabaseOf(url: string): { database: string } | { problem: string } {
  let name: string | null;
  try {
    const parsed = new URL(url.replace(/^clickhouses?:/i, "http:"));
    name = url.startsWith("chdb:") ? parsed.searchParams.get("database") : parsed.pathname.replace(/^\//, "");
  } catch {
    return { problem: `is not a URL, got "${redactUrl(url)}"` };
  }
  const database = name ? decodeURIComponent(name) : "cairn";
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(database)
    ? { database }
    : {
        problem: `names the ClickHouse database "${database}": use letters, digits and _ (not starting with a digit)`,
      };
}

export function parseEventsUrl(url: string, cwd: string): EventsTarget | string {
  const parts = splitScheme(url);
  if (parts?.scheme === "duckdb" && parts.rest.length > 0)
    return { engine: "duckdb", file: embeddedFile(parts.rest, cwd) };
  let target: EventsTarget | null = null;
  if (parts?.scheme === "clickhouse" || parts?.scheme === "clickhouses")
    target = { engine: "clickhouse", url };
  // The ClickHouse engine in this process (the chdb package), for tests and benchmarks: chdb:/folder?database=name.
  if (parts?.scheme === "chdb" && parts.rest.length > 0) {
    const [folder = "", query = ""] = parts.rest.split("?", 2);
    target = { engine: "clickhouse", url: `chdb:${embeddedFile(folder, cwd)}${query ? `?${query}` : ""}` };
  }
  if (target) {
    const database = clickhouseDatabaseOf(target.url);
    return "problem" in database ? database.problem : target;
  }
  return `must be duckdb:<file>, clickhouse://… or chdb:<folder>, got "${redactUrl(url)}"`;
}

/** Hides the password of a server URL, so configuration can be printed and logged. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, "$1***@");
}
