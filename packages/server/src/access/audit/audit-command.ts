import type { Command } from "commander";
import { adminCommand } from "../admin-command.js";
import { listAudit } from "./audit-log.js";

export function registerAuditCommand(program: Command): void {
  adminCommand(
    program,
    "audit",
    "show the audit log, newest first",
    async ({ metadata, subscriptionId, json }, _args, options) => {
      const records = await listAudit(metadata.db, subscriptionId, {
        limit: options.limit === undefined ? 100 : Number(options.limit),
        ...(typeof options.target === "string" ? { target: options.target } : {}),
      });
      if (json) {
        process.stdout.write(`${JSON.stringify(records)}\n`);
        return;
      }
      for (const r of records) {
        const detail = Object.keys(r.detail).length > 0 ? ` ${JSON.stringify(r.detail)}` : "";
        process.stdout.write(
          `${r.at}  ${r.action.padEnd(18)}  by ${r.actor}${r.target ? ` on ${r.target}` : ""}${r.ip ? ` from ${r.ip}` : ""}${detail}\n`,
        );
      }
    },
  )
    .option("--limit <n>", "records to show (default 100)")
    .option("--target <id>", "only records about this object, e.g. a key id");
}
