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

/** base64url → zlib, within the limits: the payload's bytes, not yet parsed. */
export function inflateJzb(encoded: string, limits: JzbLimits = defaultJzbLimits): Buffer {
  if (encoded.length > limits.maxEncodedChars) {
    throw new JzbError("too_long", `The jzb payload is longer than ${limits.maxEncodedChars} characters.`);
  }
  if (!base64url.test(encoded)) throw new JzbError("not_base64url", "The jzb payload is not base64url text.");
  try {
    return inflateSync(Buffer.from(encoded, "base64url"), { maxOutputLength: limits.maxInflatedBytes });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new JzbError(
        "too_large_inflated",
        `The jzb payload inflates past ${limits.maxInflatedBytes} bytes.`,
      );
    }
    throw new JzbError("not_zlib", "The jzb payload is not a zlib stream.");
  }
}

export function decodeJzb(encoded: string, limits: JzbLimits = defaultJzbLimits): unknown {
  return parseInflatedJzb(inflateJzb(encoded, limits));
}

/** An inflated payload (`inflateJzb`), parsed. */
export function parseInflatedJzb(inflated: Uint8Array): unknown {
  try {
    const bytes = Buffer.from(inflated.buffer, inflated.byteOffset, inflated.byteLength);
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new JzbError("not_json", "The jzb payload does not hold JSON.");
  }
}

// Byte classes for the scan below; 0 is every byte that changes nothing.
const other = 0;
const quote = 1;
const opener = 2;
const closer = 3;
const comma = 4;
const space = 5;
const byteClass = new Uint8Array(256);
byteClass[0x22] = quote;
byteClass[0x5b] = opener; // [
byteClass[0x7b] = opener; // {
byteClass[0x5d] = closer; // ]
byteClass[0x7d] = closer; // }
byteClass[0x2c] = comma;
for (const byte of [0x20, 0x0a, 0x0d, 0x09]) byteClass[byte] = space;
const matching: Record<number, number> = { 93: 0x5b, 125: 0x7b };

/**
 * How many events an inflated payload holds, without parsing it: the items of a top-level JSON array, or 1
 * for a single object. It follows strings, escapes and nesting (UTF-8 continuation bytes never look like
 * ASCII), so it refuses what is not JSON in shape: unbalanced or mismatched brackets, an unterminated string,
 * anything but an array or object, or text after it. What passes and still is not JSON is caught when the
 * events are prepared for loading, where it is counted as a drop. About half of JSON.parse's cost, and no
 * garbage: the collector answers before the events are parsed, once, on a worker.
 */
export function countJzbEvents(inflated: Uint8Array): number {
  const notJson = () => new JzbError("not_json", "The jzb payload does not hold JSON.");
  const length = inflated.length;
  let i = 0;
  while (i < length && byteClass[inflated[i] as number] === space) i++;
  const first = inflated[i];
  if (first === undefined || byteClass[first] !== opener) throw notJson();
  const open: number[] = [];
  let commas = 0;
  let topLevelContent = false;
  let end = -1;
  for (; i < length; i++) {
    const byte = inflated[i] as number;
    const kind = byteClass[byte];
    if (kind === space) continue;
    if (open.length === 1 && kind !== comma && kind !== closer) topLevelContent = true;
    if (kind === other) continue;
    if (kind === quote) {
      for (i++; i < length; i++) {
        const inString = inflated[i];
        if (inString === 0x22) break;
        if (inString === 0x5c) i++;
      }
      if (i >= length) throw notJson();
    } else if (kind === opener) {
      open.push(byte);
    } else if (kind === closer) {
      if (open.pop() !== matching[byte]) throw notJson();
      if (open.length === 0) {
        end = i;
        break;
      }
    } else if (open.length === 1) commas++;
  }
  if (end < 0) throw notJson();
  for (let j = end + 1; j < length; j++) if (byteClass[inflated[j] as number] !== space) throw notJson();
  if (first === 0x7b) return 1;
  return topLevelContent ? commas + 1 : 0;
}

export function encodeJzb(value: unknown): string {
  return deflateSync(Buffer.from(JSON.stringify(value), "utf8")).toString("base64url");
}
