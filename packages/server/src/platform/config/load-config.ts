import path from "node:path";
import { ConfigError } from "./config-error.js";
import type { AcknowledgeMode } from "./config-schema.js";
import {
  defaults,
  type logFormats,
  type logLevels,
  type SettingName,
  settingParsers,
  settings,
} from "./config-schema.js";
import { type EventsTarget, type MetadataTarget, parseEventsUrl, parseMetadataUrl } from "./store-url.js";
import type { TrustProxy } from "./trust-proxy.js";

export type SettingSource = "flag" | "env" | "default";

export interface CairnConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly metadata: MetadataTarget;
  readonly events: EventsTarget;
  /** The address people and agents reach this server at, without a trailing slash. */
  readonly publicUrl: string;
  readonly logLevel: (typeof logLevels)[number];
  readonly logFormat: (typeof logFormats)[number];
  /** Requests per second on the public-key endpoints (beacons, guide.json, the feedback panel); 0 is off. */
  readonly publicRate: { readonly perApp: number; readonly perAddress: number };
  /** Which proxies may name the client's address in X-Forwarded-For (see trust-proxy.ts). */
  readonly trustProxy: TrustProxy;
  /** Where webhooks may go besides public https receivers (`feedback/webhooks/webhook-policy.ts`). */
  readonly webhooks: {
    /** Host names, IP addresses and CIDR ranges allowed although internal, lower-cased. */
    readonly allow: readonly string[];
    /** http:// URLs are refused unless this is set. */
    readonly allowHttp: boolean;
  };
  /** How long a prepare worker may spend on one task before it is stopped and the beacon skipped. */
  readonly prepareTimeoutMs: number;
  /** When a beacon is answered (config-schema.ts `acknowledgeModes`). */
  readonly acknowledge: AcknowledgeMode;
  /** Where each setting came from, for `cairn doctor`. */
  readonly sources: Readonly<Record<SettingName, SettingSource>>;
}

export type ConfigFlags = Partial<Record<SettingName, string>>;

function label(name: SettingName): string {
  return `${settings[name].env} (${settings[name].flag})`;
}

/**
 * Resolves the configuration from flags, then `CAIRN_*` variables, then defaults, validates it once and
 * freezes it. This is the only module that reads the environment (it is handed `process.env`).
 */
export function loadConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv, cwd: string): CairnConfig {
  const sources = {} as Record<SettingName, SettingSource>;
  const raw = (name: SettingName): string | undefined => {
    const fromFlag = flags[name];
    if (fromFlag !== undefined) {
      sources[name] = "flag";
      return fromFlag;
    }
    const fromEnv = env[settings[name].env];
    if (fromEnv !== undefined && fromEnv !== "") {
      sources[name] = "env";
      return fromEnv;
    }
    sources[name] = "default";
    return undefined;
  };
  const parse = <N extends SettingName>(name: N, fallback: string) => {
    const value = raw(name) ?? fallback;
    const parsed = settingParsers[name](value) as ReturnType<(typeof settingParsers)[N]>;
    if (!parsed.ok) throw new ConfigError(label(name), `${parsed.problem}, got "${value}"`);
    return parsed.value as Extract<ReturnType<(typeof settingParsers)[N]>, { ok: true }>["value"];
  };

  const port = parse("port", defaults.port);
  const host = parse("host", defaults.host);
  const dataDir = path.resolve(cwd, parse("dataDir", defaults.dataDir));
  const metadataUrl = parse("metadataUrl", `sqlite:${path.join(dataDir, "metadata.sqlite")}`);
  const eventsUrl = parse("eventsUrl", `duckdb:${path.join(dataDir, "events.duckdb")}`);
  const browserHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  const publicUrl = parse(
    "publicUrl",
    `http://${browserHost.includes(":") ? `[${browserHost}]` : browserHost}:${port}`,
  );
  const logLevel = parse("logLevel", defaults.logLevel);
  const logFormat = parse("logFormat", defaults.logFormat);
  const trustProxy = parse("trustProxy", defaults.trustProxy);
  const publicRate = Object.freeze({
    perApp: parse("publicRatePerApp", defaults.publicRatePerApp),
    perAddress: parse("publicRatePerAddress", defaults.publicRatePerAddress),
  });
  const webhooks = Object.freeze({
    allow: parse("webhookAllow", defaults.webhookAllow),
    allowHttp: parse("webhookAllowHttp", defaults.webhookAllowHttp),
  });
  const prepareTimeoutMs = parse("prepareTimeoutMs", defaults.prepareTimeoutMs);
  const acknowledge = parse("acknowledge", defaults.acknowledge);

  const metadata = parseMetadataUrl(metadataUrl, cwd);
  if (typeof metadata === "string") throw new ConfigError(label("metadataUrl"), metadata);
  const events = parseEventsUrl(eventsUrl, cwd);
  if (typeof events === "string") throw new ConfigError(label("eventsUrl"), events);

  return Object.freeze({
    port,
    host,
    dataDir,
    metadata: Object.freeze(metadata),
    events: Object.freeze(events),
    publicUrl: publicUrl.replace(/\/+$/, ""),
    logLevel,
    logFormat,
    trustProxy,
    publicRate,
    webhooks,
    prepareTimeoutMs,
    acknowledge,
    sources: Object.freeze(sources),
  });
}
