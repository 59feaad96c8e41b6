#!/usr/bin/env node
import { Command } from "commander";
import { cairnVersion } from "../version.js";
import { registerAppsCommand } from "./apps-command.js";
import { registerAuditCommand } from "./audit-command.js";
import { registerDoctorCommand } from "./doctor-command.js";
import { registerExcludeCommand } from "./exclude-command.js";
import { registerKeysCommand } from "./keys-command.js";
import { registerMigrateCommand } from "./migrate-command.js";
import { registerStartCommand } from "./start-command.js";
import { registerSubscriptionCommand } from "./subscription-command.js";
import { registerUsersCommand } from "./users-command.js";

const program = new Command()
  .name("cairn")
  .description("Cairn: self-hosted product analytics, guides and feedback that speak Pendo's protocols")
  .version(cairnVersion);

registerStartCommand(program);
registerMigrateCommand(program);
registerDoctorCommand(program);
registerKeysCommand(program);
registerAppsCommand(program);
registerUsersCommand(program);
registerAuditCommand(program);
registerSubscriptionCommand(program);
registerExcludeCommand(program);

await program.parseAsync(process.argv);
