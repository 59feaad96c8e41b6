import type { Metadata } from "../api/agent-options.js";

export interface MetaProps {
  visitor: Metadata;
  account: Metadata;
  parentAccount: Metadata;
  date: string;
  version: string;
}

/** `en-US` → `en_US`, as Pendo adds it to the visitor's metadata. */
export function browserLanguage(nav: {
  languages?: readonly string[];
  language?: string;
}): string | undefined {
  const language = nav.languages?.[0] ?? nav.language;
  return language ? language.replace(/-/g, "_") : undefined;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/**
 * `props` of a `meta` event (agent-wire.md §5.2): the metadata of *this* call, not a merge, with the
 * current ids filled in.
 */
export function metaProps(
  call: {
    visitor?: Metadata | undefined;
    account?: Metadata | undefined;
    parentAccount?: Metadata | undefined;
  },
  ids: { visitorId: string; accountId: string | null },
  language: string | undefined,
  version: string,
  today: Date,
): MetaProps {
  const visitor: Metadata = { ...call.visitor, id: ids.visitorId };
  if (language !== undefined) visitor.language = language;
  const account: Metadata = { ...call.account };
  if (ids.accountId !== null) account.id = ids.accountId;
  else delete account.id;
  return {
    visitor,
    account,
    parentAccount: { ...call.parentAccount },
    date: `${twoDigits(today.getDate())}/${twoDigits(today.getMonth() + 1)}/${today.getFullYear()}`,
    version,
  };
}

/**
 * A 32-bit FNV-1a hash of the metadata (date excluded), kept in `_pendo_meta.<apiKey>` so an unchanged
 * `meta` is not sent again. Pendo uses CRC32; only the agent itself compares the value.
 */
export function metadataHash(props: MetaProps): string {
  const text = JSON.stringify([props.visitor, props.account, props.parentAccount]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
