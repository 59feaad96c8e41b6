/**
 * Pages, features and track types as the compiler needs them: ids and the anchored regexes their rules compile
 * to (each inner list must all match). Owned by `tagging/`.
 */
export type {
  Definitions,
  FeatureDefinition,
  PageDefinition,
  TrackTypeDefinition,
} from "../../tagging/definitions.js";
