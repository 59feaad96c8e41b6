import { isIP } from "node:net";
import { parseTrustProxy } from "./trust-proxy.js";

/** The settings, each with its flag and its `CAIRN_*` variable; `load-config.ts` validates them once. */
export const settings = {
  port: { flag: "--port", env: "CAIRN_PORT" },
  host: { flag: "--host", env: "CAIRN_HOST" },
  dataDir: { flag: "--data-dir", env: "CAIRN_DATA_DIR" },
  metadataUrl: { flag: "--metadata-url", env: "CAIRN_METADATA_URL" },
  eventsUrl: { flag: "--events-url", env: "CAIRN_EVENTS_URL" },
  publicUrl: { flag: "--public-url", env: "CAIRN_PUBLIC_URL" },
  logLevel: { flag: "--log-level", env: "CAIRN_LOG_LEVEL" },
  logFormat: { flag: "--log-format", env: "CAIRN_LOG_FORMAT" },
  trustProxy: { flag: "--trust-proxy", env: "CAIRN_TRUST_PROXY" },
  publicRatePerApp: { flag: "--public-rate-per-app", env: "CAIRN_PUBLIC_RATE_PER_APP" },
  publicRatePerAddress: { flag: "--public-rate-per-address", env: "CAIRN_PUBLIC_RATE_PER_ADDRESS" },
  webhookAllow: { flag: "--webhook-allow", env: "CAIRN_WEBHOOK_ALLOW" },
  webhookAllowHttp: { flag: "--webhook-allow-http", env: "CAIRN_WEBHOOK_ALLOW_HTTP" },
  prepareTimeoutMs: { flag: "--prepare-timeout-ms", env: "CAIRN_PREPARE_TIMEOUT_MS" },
  acknowledge: { flag: "--acknowledge", env: "CAIRN_ACKNOWLEDGE" },
} as const;

/**
 * When a beacon is answered: `logged`, once it is durable in this server's ingest log (its disk); `stored`, once
 * it is in the event store, so losing this server's disk loses nothing acknowledged.
 */
export const acknowledgeModes = ["logged", "stored"] as const;
export type AcknowledgeMode = (typeof acknowledgeModes)[number];

export type SettingName = keyof typeof settings;

export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** `auto`: readable text on a terminal, JSON lines otherwise (a file, a pipe, a log collector). */
export const logFormats = ["auto", "text", "json"] as const;

/** A setting's value, or what is wrong with it (said after the setting's name, as one line). */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const problem = (text: string): Parsed<never> => ({ ok: false, problem: text });

const nonEmpty = (value: string): Parsed<string> =>
  value.length > 0 ? ok(value) : problem("must not be empty");

function requestsPerSecond(value: string): Parsed<number> {
  if (!/^\d+$/.test(value.trim()))
    return problem("must be a whole number of requests per second (0 turns the limit off)");
  return ok(Number(value));
}

function oneOf<T extends string>(options: readonly T[]): (value: string) => Parsed<T> {
  return (value) =>
    (options as readonly string[]).includes(value)
      ? ok(value as T)
      : problem(`must be one of ${options.join(", ")}`);
}

const hostLabel = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** A host name, an IP address or a CIDR range (`10.1.0.0/16`, `fd00::/8`), lower-cased; or what is wrong. */
function allowEntry(entry: string): string | null {
  const text = entry.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  const slash = text.indexOf("/");
  if (slash !== -1) {
    const family = isIP(text.slice(0, slash));
    const bits = text.slice(slash + 1);
    const max = family === 6 ? 128 : 32;
    if (family === 0 || !/^\d{1,3}$/.test(bits) || Number(bits) > max) return null;
    return `${text.slice(0, slash)}/${Number(bits)}`;
  }
  if (isIP(text) !== 0) return text;
  const name = text.replace(/\.$/, "");
  if (name.length > 253 || !name.split(".").every((label) => hostLabel.test(label))) return null;
  return name;
}

/*
 * Fourteen settings, each a string from a flag or a variable: plain checks, not a validation library, which cost
 * about 12 MB of memory and 55 ms of every start (measured loading zod 4 on this project's machine).
 */
export const settingParsers = {
  port(value: string): Parsed<number> {
    const port = Number(value);
    if (value.trim() === "" || Number.isNaN(port)) return problem("must be a number");
    if (!Number.isInteger(port)) return problem("must be a whole number");
    if (port < 0 || port > 65535) return problem("must be from 0 to 65535");
    return ok(port);
  },
  host: nonEmpty,
  dataDir: nonEmpty,
  metadataUrl: nonEmpty,
  eventsUrl: nonEmpty,
  publicUrl(value: string): Parsed<string> {
    if (!URL.canParse(value))
      return problem("must be an absolute http(s) URL such as https://cairn.example.com");
    if (!/^https?:\/\//i.test(value)) return problem("must be an absolute http(s) URL");
    return ok(value);
  },
  logLevel: oneOf(logLevels),
  logFormat: oneOf(logFormats),
  trustProxy: parseTrustProxy,
  publicRatePerApp: requestsPerSecond,
  publicRatePerAddress: requestsPerSecond,
  /** Hosts and ranges webhooks may reach although they are internal: the operator's exceptions. */
  webhookAllow(value: string): Parsed<readonly string[]> {
    const entries = value
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "");
    const out: string[] = [];
    for (const entry of entries) {
      const parsed = allowEntry(entry);
      if (parsed === null)
        return problem(
          `must be a comma list of host names, IP addresses and CIDR ranges; "${entry}" is none`,
        );
      out.push(parsed);
    }
    return ok(Object.freeze(out));
  },
  webhookAllowHttp(value: string): Parsed<boolean> {
    const text = value.toLowerCase();
    if (text === "true" || text === "1") return ok(true);
    if (text === "false" || text === "0") return ok(false);
    return problem("must be true or false");
  },
  prepareTimeoutMs(value: string): Parsed<number> {
    const ms = Number(value);
    if (value.trim() === "" || !Number.isInteger(ms))
      return problem("must be a whole number of milliseconds");
    if (ms < 1 || ms > 600_000) return problem("must be from 1 to 600000 (ten minutes)");
    return ok(ms);
  },
  acknowledge(value: string): Parsed<AcknowledgeMode> {
    const mode = acknowledgeModes.find((m) => m === value.trim().toLowerCase());
    return mode ? ok(mode) : problem(`must be ${acknowledgeModes.join(" or ")}`);
  },
} satisfies Record<SettingName, (value: string) => Parsed<unknown>>;

export const defaults = {
  port: "8080",
  host: "127.0.0.1",
  dataDir: "./data",
  logLevel: "info",
  logFormat: "auto",
  trustProxy: "none",
  publicRatePerApp: "5000",
  publicRatePerAddress: "100",
  webhookAllow: "",
  webhookAllowHttp: "false",
  // Preparing a full beacon takes milliseconds; a limit of seconds only ever stops a pathological one.
  prepareTimeoutMs: "5000",
  acknowledge: "logged",
} as const;
