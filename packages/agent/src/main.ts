import type { AgentConfig } from "./agent-config.js";
import { installAgent } from "./api/install-agent.js";

// Cairn's server replaces this identifier with the app's settings when it serves the bundle
// (serve.js `renderAgent`); it must stay the bundle's only occurrence of the name.
declare const __CAIRN_AGENT_CONFIG__: AgentConfig;

installAgent(window, __CAIRN_AGENT_CONFIG__);
