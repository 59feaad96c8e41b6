import type { Definitions as TaggingDefinitions } from "../../tagging/definitions.js";

/**
 * Pages, features and track types as the compiler needs them: ids and the anchored regexes their rules compile
 * to (each inner list must all match). Owned by `tagging/`.
 */
export type {
  FeatureDefinition,
  PageDefinition,
  TrackTypeDefinition,
} from "../../tagging/definitions.js";

/** A guide as the `guides` source lists it (read from the metadata store's guide tables, guide-definitions.ts). */
export interface GuideDefinition {
  readonly id: string;
  readonly appId: string;
  readonly name: string;
  readonly state: string;
  readonly steps: readonly { readonly id: string; readonly type: string; readonly rank: number }[];
  readonly polls: readonly { readonly id: string; readonly type: string }[];
}

/** The tagging definitions, and the guides when the pipeline reads the `guides` source. */
export type Definitions = TaggingDefinitions & { readonly guides?: readonly GuideDefinition[] };
