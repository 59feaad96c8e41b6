import { z } from "zod";

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
} as const;

export type SettingName = keyof typeof settings;

export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** `auto`: readable text on a terminal, JSON lines otherwise (a file, a pipe, a log collector). */
export const logFormats = ["auto", "text", "json"] as const;

export const settingSchemas = {
  port: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be from 0 to 65535")
    .max(65535, "must be from 0 to 65535"),
  host: z.string().min(1, "must not be empty"),
  dataDir: z.string().min(1, "must not be empty"),
  metadataUrl: z.string().min(1, "must not be empty"),
  eventsUrl: z.string().min(1, "must not be empty"),
  publicUrl: z
    .string()
    .url("must be an absolute http(s) URL such as https://cairn.example.com")
    .refine((value) => /^https?:\/\//i.test(value), "must be an absolute http(s) URL"),
  logLevel: z.enum(logLevels, { error: `must be one of ${logLevels.join(", ")}` }),
  logFormat: z.enum(logFormats, { error: `must be one of ${logFormats.join(", ")}` }),
} satisfies Record<SettingName, z.ZodType>;

export const defaults = {
  port: "8080",
  host: "127.0.0.1",
  dataDir: "./data",
  logLevel: "info",
  logFormat: "auto",
} as const;
