/// <reference types="pendo-io-browser" />
/**
 * Type-level checks only (nothing here is bundled): the agent's public object must fit the parts of
 * `@types/pendo-io-browser` it implements. `npm run typecheck` fails when it does not.
 */
import type { CairnAgent } from "./create-agent.js";

type ImplementedApi = Pick<
  pendo.Pendo,
  | "initialize"
  | "identify"
  | "updateOptions"
  | "track"
  | "trackAgent"
  | "pageLoad"
  | "flushNow"
  | "getVersion"
  | "getVisitorId"
  | "get_visitor_id"
  | "getAccountId"
  | "get_account_id"
  | "getCurrentUrl"
  | "isReady"
  | "isAnonymousVisitor"
  | "generate_unique_id"
  | "clearSession"
  | "teardown"
  | "isSendingEvents"
  | "startSendingEvents"
  | "stopSendingEvents"
  | "loadGuides"
  | "showGuideById"
  | "showGuideByName"
  | "onGuideAdvanced"
  | "onGuidePrevious"
  | "onGuideDismissed"
  | "VERSION"
  | "apiKey"
  | "visitorId"
  | "feedback"
> & {
  events: pendo.Events;
};

type Assert<T extends true> = T;

export type AgentFitsPendoTypes = Assert<CairnAgent extends ImplementedApi ? true : false>;
/** Whatever an app passes to Pendo's `initialize` is accepted by Cairn's. */
export type InitializeTakesPendoOptions = Assert<
  pendo.InitOptions extends NonNullable<Parameters<CairnAgent["initialize"]>[0]> ? true : false
>;
