import { base64url } from "./base64url.js";
import { zlibDeflate } from "./deflate.js";

/**
 * The agent's `jzb` payload encoding (agent-wire.md §2.1): JSON → UTF-8 → zlib → base64url.
 * A string is encoded as is, like Pendo's `compress`.
 *
 * @example compress([{ type: "track", visitor_id: "v1" }]) // "eJyLrlYqqSxIVbJSKkstKs7Mz1OyUspSqgUAV_oHQw"
 */
export function compress(value: unknown): string {
  const json = typeof value === "string" ? value : JSON.stringify(value);
  return base64url(zlibDeflate(new TextEncoder().encode(json)));
}
