/**
 * `@cairn/server`: run Cairn inside another Node program (what `cairn start` does), with its configuration
 * resolved and validated the same way.
 *
 * @example
 * const cairn = await startCairn(loadConfig({ port: "0" }, process.env, process.cwd()));
 * console.log(cairn.publicUrl, cairn.installation.app.appKey);
 * await cairn.shutdown();
 */
export { installSnippet } from "./access/setup/install-snippet.js";
export { type CairnConfig, type ConfigFlags, loadConfig } from "./platform/config/load-config.js";
export { type RunningCairn, type StartOptions, startCairn } from "./start/start-cairn.js";
