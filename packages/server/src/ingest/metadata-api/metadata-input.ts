import { CairnError } from "../../platform/errors/cairn-error.js";
import type { MetadataValue, ProfileKind } from "../../store/profiles/profile-records.js";

export const metadataLimits = {
  /** Entries in one bulk request. */
  maxEntries: 1_000,
  /** Fields in one entry's `values`. */
  maxFields: 256,
  maxFieldNameLength: 128,
  /** As for ids the agent sends. */
  maxIdLength: 512,
  maxTextLength: 2_048,
  maxArrayLength: 100,
  bulkBodyBytes: 1024 * 1024,
  valueBodyBytes: 256 * 1024,
} as const;

/** One visitor's or account's values from a bulk request. */
export interface MetadataEntry {
  readonly id: string;
  readonly values: Readonly<Record<string, MetadataValue | null>>;
}

const idField: Readonly<Record<ProfileKind, string>> = { visitor: "visitorId", account: "accountId" };

/** Caller-supplied text in a message: quoted, and cut short so a huge name cannot bloat the answer. */
function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}

function bad(message: string): CairnError {
  return new CairnError("bad_request", { message });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Why a field name is refused, or null. */
export function fieldNameProblem(name: string): string | null {
  if (name.length === 0) return "a field name is empty";
  if (name.length > metadataLimits.maxFieldNameLength)
    return `the field name ${quote(name)} is longer than ${metadataLimits.maxFieldNameLength} characters`;
  // Aggregations name fields by dotted paths (metadata.custom.plan): a dot in a name could not be addressed.
  if (name.includes(".")) return `the field name ${quote(name)} contains a dot`;
  if (hasControlCharacter(name)) return `the field name ${quote(name)} contains a control character`;
  return null;
}

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === "string" ||
  typeof value === "boolean" ||
  (typeof value === "number" && Number.isFinite(value));

const tooLong = (value: unknown) => typeof value === "string" && value.length > metadataLimits.maxTextLength;

/** Why a value is refused (the end of a sentence about it), or null. */
export function valueProblem(value: unknown): string | null {
  if (value === null) return null;
  if (Array.isArray(value)) {
    if (value.length > metadataLimits.maxArrayLength)
      return `is an array of more than ${metadataLimits.maxArrayLength} items`;
    if (!value.every(isScalar))
      return "is an array holding something other than strings, numbers and booleans";
    if (value.some(tooLong)) return `holds text longer than ${metadataLimits.maxTextLength} characters`;
    return null;
  }
  if (!isScalar(value))
    return "must be a string, a number, a boolean, null (removes the field), or an array of strings, numbers and booleans";
  if (tooLong(value)) return `is text longer than ${metadataLimits.maxTextLength} characters`;
  return null;
}

function parseValues(values: unknown, where: string): Record<string, MetadataValue | null> {
  if (!isRecord(values)) throw bad(`${where}: "values" must be an object of field names and values.`);
  const names = Object.keys(values);
  if (names.length > metadataLimits.maxFields)
    throw bad(`${where}: at most ${metadataLimits.maxFields} fields per entry; it has ${names.length}.`);
  for (const name of names) {
    const nameProblem = fieldNameProblem(name);
    if (nameProblem) throw bad(`${where}: ${nameProblem}.`);
    const problem = valueProblem(values[name]);
    if (problem) throw bad(`${where}: the value of ${quote(name)} ${problem}.`);
  }
  return values as Record<string, MetadataValue | null>;
}

function parseId(id: unknown, field: string, where: string): string {
  if (typeof id !== "string" || id.length === 0)
    throw bad(`${where}: "${field}" must be a non-empty string.`);
  if (id.length > metadataLimits.maxIdLength)
    throw bad(`${where}: "${field}" is longer than ${metadataLimits.maxIdLength} characters.`);
  return id;
}

/**
 * A bulk body, `[{"visitorId": "…", "values": {…}}]` (`accountId` for accounts), checked whole: one bad
 * entry refuses the request, so nothing of it is applied.
 */
export function parseBulkBody(kind: ProfileKind, body: unknown): MetadataEntry[] {
  const field = idField[kind];
  if (!Array.isArray(body))
    throw bad(`The body must be a JSON array of {"${field}": "…", "values": {…}} objects.`);
  if (body.length > metadataLimits.maxEntries) {
    throw new CairnError("payload_too_large", {
      message: `At most ${metadataLimits.maxEntries} entries per request; this one has ${body.length}.`,
    });
  }
  return body.map((entry, index) => {
    const where = `Entry ${index}`;
    if (!isRecord(entry)) throw bad(`${where} must be an object {"${field}": "…", "values": {…}}.`);
    const unknown = Object.keys(entry).find((name) => name !== field && name !== "values");
    if (unknown !== undefined)
      throw bad(`${where}: unknown field ${quote(unknown)}; an entry has "${field}" and "values".`);
    return { id: parseId(entry[field], field, where), values: parseValues(entry.values, where) };
  });
}

/** The single value a PUT sets (its whole body), and the field it names. */
export function parseSingleValue(fieldName: string, id: string, body: unknown): MetadataEntry {
  const nameProblem = fieldNameProblem(fieldName);
  if (nameProblem) throw bad(`In the path, ${nameProblem}.`);
  if (id.length > metadataLimits.maxIdLength)
    throw bad(`The id in the path is longer than ${metadataLimits.maxIdLength} characters.`);
  if (body === undefined) throw bad("The body must be one JSON value: the field's new value.");
  const problem = valueProblem(body);
  if (problem) throw bad(`The value ${problem}.`);
  const values: Record<string, MetadataValue | null> = {};
  Object.defineProperty(values, fieldName, {
    value: body,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return { id, values };
}
