import type { FastifyInstance } from "fastify";
import { ConfigError } from "../platform/config/config-error.js";
import { settings } from "../platform/config/config-schema.js";
import type { CairnConfig } from "../platform/config/load-config.js";

const portLabel = `${settings.port.env} (${settings.port.flag})`;
const hostLabel = `${settings.host.env} (${settings.host.flag})`;

/** Listens, turning the operating system's refusals into configuration errors that name the setting. */
export async function listenOrExplain(app: FastifyInstance, config: CairnConfig): Promise<void> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : "";
    if (code === "EADDRINUSE")
      throw new ConfigError(portLabel, `${config.port} is already in use by another program`);
    if (code === "EACCES")
      throw new ConfigError(portLabel, `${config.port} needs privileges this process lacks`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN") {
      throw new ConfigError(hostLabel, `"${config.host}" is not an address of this machine`);
    }
    throw error;
  }
}
