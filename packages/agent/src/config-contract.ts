/**
 * Type-level check only: `serve.d.ts` (read by the server, which does not compile the agent's sources)
 * repeats `AgentConfig`; the type-check fails if the two shapes drift apart.
 */
import type { AgentConfig as ServedConfig } from "../serve.js";
import type { AgentConfig } from "./agent-config.js";

type Assert<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export type ServeTypesMatchAgentConfig = Assert<Same<Required<ServedConfig>, Required<AgentConfig>>>;
export type ServeOptionalsMatch = Assert<Same<ServedConfig, AgentConfig>>;
