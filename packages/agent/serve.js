// Plain ESM with a hand-written serve.d.ts, so the server can import it without building the agent.
import { fileURLToPath } from "node:url";

const placeholder = "__CAIRN_AGENT_CONFIG__";

/** Absolute path of the minified agent bundle (`npm run build --workspace @cairn/agent` writes it). */
export const agentBundlePath = fileURLToPath(new URL("./dist/pendo.js", import.meta.url));

/** Absolute path of the feedback panel's bundle, which the agent loads when the panel is first opened. */
export const feedbackPanelBundlePath = fileURLToPath(new URL("./dist/feedback-panel.js", import.meta.url));

/** Absolute path of the guides' bundle, which the agent loads once guide.json answers a guide. */
export const guidesBundlePath = fileURLToPath(new URL("./dist/guides.js", import.meta.url));

/**
 * Returns the bundle with the app's settings in place of `__CAIRN_AGENT_CONFIG__`. The JSON is made
 * safe to serve inside HTML and as a script: `<` (so `</script>` or `<!--` cannot close or open
 * anything) and U+2028/U+2029 (line terminators in older JS engines) are written as \u escapes.
 *
 * @example
 * const served = renderAgent(readFileSync(agentBundlePath, "utf8"), { apiKey, dataHost, version, excludeAllText: true });
 */
export function renderAgent(bundleText, config) {
  const at = bundleText.indexOf(placeholder);
  if (at < 0 || bundleText.indexOf(placeholder, at + 1) >= 0) {
    throw new Error(`The agent bundle must contain ${placeholder} exactly once.`);
  }
  const json = JSON.stringify(config)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  // Sliced, not String.replace: a "$&" or "$'" inside a config value must stay literal text.
  return `${bundleText.slice(0, at)}(${json})${bundleText.slice(at + placeholder.length)}`;
}
