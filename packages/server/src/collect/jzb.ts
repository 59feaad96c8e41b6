import { deflateSync, inflateSync } from "node:zlib";

/** The agent's payload encoding (agent-wire.md §2.1): JSON → UTF-8 → zlib (RFC 1950) → base64url. */
export class JzbError extends Error {
  constructor(
    readonly reason: "not_base64url" | "too_long" | "not_zlib" | "too_large_inflated" | "not_json",
    message: string,
  ) {
    super(message);
    this.name = "JzbError";
  }
}

export interface JzbLimits {
  /** Longest encoded string accepted (the agent splits batches past 65,536 characters). */
  readonly maxEncodedChars: number;
  /** Inflating stops past this many bytes, so a small zlib bomb cannot take memory. */
  readonly maxInflatedBytes: number;
}

export const defaultJzbLimits: JzbLimits = { maxEncodedChars: 128 * 1024, maxInflatedBytes: 1024 * 1024 };

const base64url = /^[A-Za-z0-9_-]*$/;

export function decodeJzb(encoded: string, limits: JzbLimits = defaultJzbLimits): unknown {
  if (encoded.length > limits.maxEncodedChars) {
    throw new JzbError("too_long", `The jzb payload is longer than ${limits.maxEncodedChars} characters.`);
  }
  if (!base64url.test(encoded)) throw new JzbError("not_base64url", "The jzb payload is not base64url text.");
  let inflated: Buffer;
  try {
    inflated = inflateSync(Buffer.from(encoded, "base64url"), { maxOutputLength: limits.maxInflatedBytes });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new JzbError(
        "too_large_inflated",
        `The jzb payload inflates past ${limits.maxInflatedBytes} bytes.`,
      );
    }
    throw new JzbError("not_zlib", "The jzb payload is not a zlib stream.");
  }
  try {
    return JSON.parse(inflated.toString("utf8"));
  } catch {
    throw new JzbError("not_json", "The jzb payload does not hold JSON.");
  }
}

export function encodeJzb(value: unknown): string {
  return deflateSync(Buffer.from(JSON.stringify(value), "utf8")).toString("base64url");
}
