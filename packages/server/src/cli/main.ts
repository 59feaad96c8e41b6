#!/usr/bin/env node
import { Command } from "commander";
import { registerAppsCommand } from "../access/apps/apps-command.js";
import { registerAuditCommand } from "../access/audit/audit-command.js";
import { registerExcludeCommand } from "../access/exclude/exclude-command.js";
import { registerKeysCommand } from "../access/keys/keys-command.js";
import { registerSubscriptionCommand } from "../access/subscription/subscription-command.js";
import { registerUsersCommand } from "../access/users/users-command.js";
import { registerGuidesCommand } from "../guides/guides-command.js";
import { cairnVersion } from "../platform/version.js";
import { registerQueryCommand } from "../query/aggregation/cli/query-command.js";
import { registerSegmentsCommand } from "../query/segments/segments-command.js";
import { registerTaggingCommands } from "../query/tagging/tagging-commands.js";
import { registerDoctorCommand } from "./doctor-command.js";
import { registerMigrateCommand } from "./migrate-command.js";
import { registerStartCommand } from "./start-command.js";
import { registerTransferCommands } from "./transfer-commands.js";

// The stores hold keys' hashes, secrets and personal data: every folder and file Cairn creates is its owner's
// alone (0700 / 0600), whatever the shell's umask.
process.umask(0o077);

const program = new Command()
  .name("cairn")
  .description("Cairn: self-hosted product analytics, guides and feedback that speak Pendo's protocols")
  .version(cairnVersion);

registerStartCommand(program);
registerMigrateCommand(program);
registerDoctorCommand(program);
registerTransferCommands(program);
registerKeysCommand(program);
registerAppsCommand(program);
registerUsersCommand(program);
registerAuditCommand(program);
registerSubscriptionCommand(program);
registerExcludeCommand(program);
registerQueryCommand(program);
registerTaggingCommands(program);
registerSegmentsCommand(program);
registerGuidesCommand(program);

await program.parseAsync(process.argv);
