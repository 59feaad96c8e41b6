import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "./config-error.js";
import { settings } from "./config-schema.js";
import type { CairnConfig } from "./load-config.js";

function ensureWritableDir(dir: string, setting: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Checking permission bits is not enough (root ignores them, read-only mounts don't show in them):
    // write a file and remove it.
    const probe = path.join(dir, `.cairn-write-check-${process.pid}`);
    writeFileSync(probe, "");
    rmSync(probe);
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String(error.code) : "unknown error";
    throw new ConfigError(setting, `names a folder Cairn cannot write to: ${dir} (${reason})`);
  }
}

/** Creates the data folder and the folders of the embedded stores' files, and checks they are writable. */
export function prepareDataDir(config: CairnConfig): void {
  const dataDirLabel = `${settings.dataDir.env} (${settings.dataDir.flag})`;
  ensureWritableDir(config.dataDir, dataDirLabel);
  if (config.metadata.engine === "sqlite") {
    ensureWritableDir(
      path.dirname(config.metadata.file),
      `${settings.metadataUrl.env} (${settings.metadataUrl.flag})`,
    );
  }
  if (config.events.engine === "duckdb") {
    ensureWritableDir(
      path.dirname(config.events.file),
      `${settings.eventsUrl.env} (${settings.eventsUrl.flag})`,
    );
  }
}
