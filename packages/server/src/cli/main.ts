#!/usr/bin/env node
import { Command } from "commander";
import { cairnVersion } from "../version.js";
import { registerDoctorCommand } from "./doctor-command.js";
import { registerMigrateCommand } from "./migrate-command.js";
import { registerStartCommand } from "./start-command.js";

const program = new Command()
  .name("cairn")
  .description("Cairn: self-hosted product analytics, guides and feedback that speak Pendo's protocols")
  .version(cairnVersion);

registerStartCommand(program);
registerMigrateCommand(program);
registerDoctorCommand(program);

await program.parseAsync(process.argv);
