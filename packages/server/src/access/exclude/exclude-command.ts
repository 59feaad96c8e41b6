import type { Command } from "commander";
import { textTable } from "../../platform/cli/text-table.js";
import { adminCommand } from "../admin-command.js";
import { excludeRuleKinds } from "./exclude-rules.js";
import { addExcludeRule, type ExcludeRule, listExcludeRules, removeExcludeRule } from "./exclude-service.js";

function table(rules: readonly ExcludeRule[]): string {
  const rows = rules.map((r) => [r.id, r.kind, r.pattern, r.createdBy, r.createdAt, r.note ?? ""]);
  return textTable(["ID", "KIND", "PATTERN", "CREATED BY", "CREATED AT", "NOTE"], rows);
}

export function registerExcludeCommand(program: Command): void {
  const exclude = program
    .command("exclude")
    .description("the Exclude List: traffic from these addresses, visitors, accounts or hosts is flagged");

  adminCommand(
    exclude,
    "add",
    "add a rule; events received from now on that match it are flagged excluded",
    async ({ metadata, subscriptionId, json }, args, options) => {
      const rule = await addExcludeRule(metadata.db, {
        subscriptionId,
        kind: String(options.kind ?? ""),
        pattern: args[0] ?? "",
        note: typeof options.note === "string" ? options.note : null,
        actor: "cli",
      });
      process.stdout.write(
        json
          ? `${JSON.stringify(rule)}\n`
          : `Added ${rule.id}: ${rule.kind} ${rule.pattern}. Events received from now on that match it are flagged excluded.\n`,
      );
    },
  )
    .requiredOption("--kind <kind>", excludeRuleKinds.join(", "))
    .option("--note <text>", "why this traffic is excluded")
    .argument(
      "<pattern>",
      "an IP address or CIDR range (10.0.0.0/8), a visitor or account id, or a host (staging.example.com); * is a wildcard for ids and hosts",
    );

  adminCommand(exclude, "list", "list the rules", async ({ metadata, subscriptionId, json }) => {
    const rules = await listExcludeRules(metadata.db, subscriptionId);
    if (json) {
      process.stdout.write(`${JSON.stringify(rules)}\n`);
      return;
    }
    process.stdout.write(
      rules.length === 0
        ? "The Exclude List is empty: add a rule with `cairn exclude add --kind KIND PATTERN`.\n"
        : `${table(rules)}\n`,
    );
  });

  adminCommand(
    exclude,
    "remove",
    "remove a rule; events received from now on are no longer flagged by it",
    async ({ metadata, subscriptionId, json }, args) => {
      const rule = await removeExcludeRule(metadata.db, { subscriptionId, id: args[0] ?? "", actor: "cli" });
      process.stdout.write(
        json ? `${JSON.stringify(rule)}\n` : `Removed ${rule.id}: ${rule.kind} ${rule.pattern}.\n`,
      );
    },
  ).argument("<id>", "the rule to remove (see cairn exclude list)");
}
