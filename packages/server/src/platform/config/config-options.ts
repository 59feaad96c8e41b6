import type { Command } from "commander";
import { type SettingName, settings } from "./config-schema.js";
import type { ConfigFlags } from "./load-config.js";

const descriptions: Record<SettingName, string> = {
  port: "port to listen on (default 8080)",
  host: "address to listen on (default 127.0.0.1)",
  dataDir: "folder for the embedded stores (default ./data)",
  metadataUrl: "metadata store: sqlite:<file> or postgres://… (default <data-dir>/metadata.sqlite)",
  eventsUrl: "event store: duckdb:<file>, clickhouse://… or chdb:<folder> (default <data-dir>/events.duckdb)",
  publicUrl: "address people and agents reach this server at (default http://<host>:<port>)",
  logLevel: "fatal, error, warn, info, debug, trace or silent (default info)",
  logFormat: "auto (text on a terminal, JSON lines otherwise), text or json (default auto)",
  trustProxy:
    "proxies allowed to name the client in X-Forwarded-For: a hop count or addresses/CIDRs (default none)",
  publicRatePerApp:
    "requests per second per app key on beacons, guide.json and the feedback panel; 0 is off (default 5000)",
  publicRatePerAddress: "requests per second per client address on those endpoints; 0 is off (default 100)",
  webhookAllow: "hosts, IP addresses and CIDR ranges webhooks may reach although internal (default none)",
  webhookAllowHttp: "true lets webhooks go to http:// URLs (default false: https only)",
  prepareTimeoutMs:
    "milliseconds one prepare task may run before its worker is stopped and the beacon skipped (default 5000)",
  acknowledge:
    "answer a beacon once it is in this server's ingest log (logged) or once it is in the event store (stored) (default logged)",
};

/** Adds one flag per setting; each also reads its `CAIRN_*` variable (flags win). */
export function withConfigOptions(command: Command): Command {
  for (const name of Object.keys(settings) as SettingName[]) {
    command.option(`${settings[name].flag} <value>`, `${descriptions[name]} [${settings[name].env}]`);
  }
  return command;
}

export function configFlags(options: Record<string, unknown>): ConfigFlags {
  const flags: ConfigFlags = {};
  for (const name of Object.keys(settings) as SettingName[]) {
    const value = options[name];
    if (typeof value === "string") flags[name] = value;
  }
  return flags;
}
