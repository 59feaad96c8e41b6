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
  const inflated = inflateJzb(encoded, limits);
  try {
    return JSON.parse(inflated.toString("utf8"));
  } catch {
    throw new JzbError("not_json", "The jzb payload does not hold JSON.");
  }
}

const quote = 0x22;
const backslash = 0x5c;
const comma = 0x2c;
const openers = new Map([
  [0x5b, 0x5d], // [ ]
  [0x7b, 0x7d], // { }
]);
const isSpace = (byte: number | undefined) =>
  byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * How many events an inflated payload holds, without parsing it: the items of a top-level JSON array, or 1
 * for a single object. It follows strings, escapes and nesting (UTF-8 continuation bytes never look like
 * ASCII), so it refuses what is not JSON in shape: unbalanced or mismatched brackets, an unterminated string,
 * anything but an array or object, or text after it. What passes and still is not JSON is caught when the
 * events are prepared for loading, where it is counted as a drop. A fraction of JSON.parse's cost, and no
 * garbage: the collector answers before the events are parsed, once, on a worker.
 */
export function countJzbEvents(inflated: Uint8Array): number {
  const notJson = () => new JzbError("not_json", "The jzb payload does not hold JSON.");
  const length = inflated.length;
  let i = 0;
  while (i < length && isSpace(inflated[i])) i++;
  const first = inflated[i];
  if (first === undefined || !openers.has(first)) throw notJson();
  const closers: number[] = [];
  let commas = 0;
  let topLevelContent = false;
  let end = -1;
  for (; i < length; i++) {
    const byte = inflated[i] as number;
    if (byte === quote) {
      if (closers.length === 1) topLevelContent = true;
      for (i++; i < length && inflated[i] !== quote; i++) if (inflated[i] === backslash) i++;
      if (i >= length) throw notJson();
      continue;
    }
    const closer = openers.get(byte);
    if (closer !== undefined) {
      if (closers.length === 1) topLevelContent = true;
      closers.push(closer);
      continue;
    }
    if (byte === 0x5d || byte === 0x7d) {
      if (closers.pop() !== byte) throw notJson();
      if (closers.length === 0) {
        end = i;
        break;
      }
      continue;
    }
    if (closers.length === 1) {
      if (byte === comma) commas++;
      else if (!isSpace(byte)) topLevelContent = true;
    }
  }
  if (end < 0) throw notJson();
  for (let j = end + 1; j < length; j++) if (!isSpace(inflated[j])) throw notJson();
  if (first === 0x7b) return 1;
  return topLevelContent ? commas + 1 : 0;
}

export function encodeJzb(value: unknown): string {
  return deflateSync(Buffer.from(JSON.stringify(value), "utf8")).toString("base64url");
}
