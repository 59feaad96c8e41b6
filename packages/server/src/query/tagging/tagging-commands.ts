import type { Command } from "commander";
import { registerFeaturesCommand } from "./features/features-command.js";
import { registerPagesCommand } from "./pages/pages-command.js";
import { registerTrackTypesCommand } from "./track-types/track-types-command.js";

/** `cairn pages`, `cairn features`, `cairn track-types`. */
export function registerTaggingCommands(program: Command): void {
  registerPagesCommand(program);
  registerFeaturesCommand(program);
  registerTrackTypesCommand(program);
}
