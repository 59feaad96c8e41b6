import type { Command } from "commander";
import { textTable } from "../../platform/cli/text-table.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { adminCommand } from "../admin-command.js";
import { listApps } from "../apps/app-service.js";
import type { SecretKeyKind } from "./key-format.js";
import type { KeyRecord } from "./key-record.js";
import { appSecretKinds, createKey, defaultRollGrace, listKeys, revokeKey, rollKey } from "./key-service.js";

const kinds: readonly SecretKeyKind[] = ["integration", "feedback", "track", "identity"];

function parseExpiry(value: unknown): Date | null {
  if (value === undefined) return null;
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) {
    throw new CairnError("bad_request", {
      message: `--expires must be a date such as 2027-01-31 or 2027-01-31T12:00:00Z, got "${String(value)}".`,
    });
  }
  return date;
}

function describeKey(record: KeyRecord): string {
  const scope =
    record.kind === "integration" ? (record.scope === "write" ? ", read-write" : ", read-only") : "";
  const app = record.appId ? `, app ${record.appId}` : "";
  return `${record.id} (${record.start}…, ${record.kind}${scope}${app}) "${record.description}"`;
}

function showOnce(key: string): string {
  return [
    "",
    "This is the only time the key is shown; it cannot be recovered. Store it in your secret manager now:",
    "",
    `  ${key}`,
    "",
  ].join("\n");
}

function table(records: readonly KeyRecord[]): string {
  const rows = records.map((r) => [
    r.id,
    r.kind,
    `${r.start}…`,
    r.scope,
    r.state + (r.exposedAt ? " EXPOSED" : ""),
    r.lastUsedAt ?? "never used",
    r.description,
  ]);
  return textTable(["ID", "KIND", "START", "SCOPE", "STATE", "LAST USED", "DESCRIPTION"], rows);
}

/** A track secret without `--app`: the subscription's only app, or an error that lists them. */
async function onlyApp(metadata: MetadataStore, subscriptionId: string, kind: string): Promise<string> {
  const apps = await listApps(metadata.db, subscriptionId);
  if (apps.length === 1 && apps[0]) return apps[0].id;
  const listed = apps.map((app) => `${app.id} "${app.name}"`).join(", ");
  throw new CairnError("bad_request", {
    message: `A ${kind} secret belongs to one app: name it with --app <id> (this subscription's apps: ${listed || "none"}).`,
  });
}

export function registerKeysCommand(program: Command): void {
  const keys = program.command("keys").description("create, list, roll and revoke secret keys");

  adminCommand(
    keys,
    "create",
    "create a key and print it once",
    async ({ metadata, subscriptionId, json }, _args, options) => {
      const kind = String(options.kind ?? "");
      if (!kinds.includes(kind as SecretKeyKind)) {
        throw new CairnError("bad_request", { message: `--kind must be one of ${kinds.join(", ")}.` });
      }
      const named = typeof options.app === "string" ? options.app : null;
      const appId =
        appSecretKinds.has(kind as SecretKeyKind) && named === null
          ? await onlyApp(metadata, subscriptionId, kind)
          : named;
      const { key, record } = await createKey(metadata.db, {
        subscriptionId,
        kind: kind as SecretKeyKind,
        description: String(options.description ?? ""),
        write: options.write === true,
        appId,
        expiresAt: parseExpiry(options.expires),
        actor: "cli",
      });
      process.stdout.write(
        json
          ? `${JSON.stringify({ key, ...record })}\n`
          : `Created ${describeKey(record)}.\n${showOnce(key)}`,
      );
    },
  )
    .requiredOption("--kind <kind>", "integration, feedback, track or identity")
    .requiredOption("--description <text>", "what uses the key (required)")
    .option("--write", "integration keys only: allow writes (default read-only)")
    .option("--app <id>", "track and identity secrets only: their app")
    .option("--expires <date>", "stop working at this date (ISO 8601)");

  adminCommand(
    keys,
    "list",
    "list keys (never the keys themselves)",
    async ({ metadata, subscriptionId, json }, _args, options) => {
      const page = await listKeys(metadata.db, subscriptionId, {
        limit: options.limit === undefined ? 100 : Number(options.limit),
        after: typeof options.after === "string" ? options.after : null,
      });
      if (json) {
        process.stdout.write(`${JSON.stringify(page)}\n`);
        return;
      }
      process.stdout.write(
        page.keys.length === 0
          ? "No keys yet: create one with `cairn keys create`.\n"
          : `${table(page.keys)}\n`,
      );
      if (page.next) process.stdout.write(`More: cairn keys list --after ${page.next}\n`);
    },
  )
    .option("--limit <n>", "keys per page (default 100, at most 1000)")
    .option("--after <id>", "the key id the previous page ended with");

  adminCommand(
    keys,
    "roll",
    "replace a key; the old one works until the grace period ends",
    async ({ metadata, subscriptionId, json }, args, options) => {
      const { key, record, old } = await rollKey(metadata.db, {
        subscriptionId,
        id: args[0] ?? "",
        grace: typeof options.grace === "string" ? options.grace : defaultRollGrace,
        actor: "cli",
      });
      if (json) {
        process.stdout.write(`${JSON.stringify({ key, ...record, old })}\n`);
        return;
      }
      process.stdout.write(
        `Rolled ${old.id} into ${describeKey(record)}; the old key stops working at ${old.expiresAt}.\n${showOnce(key)}`,
      );
    },
  )
    .argument("<id>", "the key to roll")
    .option("--grace <period>", "how long the old key keeps working: 0, 1h, 24h or 7d", defaultRollGrace);

  adminCommand(
    keys,
    "revoke",
    "revoke a key on every server within a second",
    async ({ metadata, subscriptionId, json }, args) => {
      const record = await revokeKey(metadata.db, { subscriptionId, id: args[0] ?? "", actor: "cli" });
      process.stdout.write(
        json ? `${JSON.stringify(record)}\n` : `Revoked ${describeKey(record)} at ${record.revokedAt}.\n`,
      );
    },
  ).argument("<id>", "the key to revoke");
}
