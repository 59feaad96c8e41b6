/**
 * Pages, features and track types as the compiler needs them: their ids and the regular expressions their
 * rules compile to (the common subset of RE2 and JavaScript, anchored). Each inner list must all match.
 */
export interface PageDefinition {
  readonly id: string;
  readonly appId: string;
  readonly name: string;
  readonly include: readonly (readonly string[])[];
  readonly exclude: readonly (readonly string[])[];
}

export interface FeatureDefinition {
  readonly id: string;
  readonly appId: string;
  readonly name: string;
  readonly pageId: string | null;
  readonly appWide: boolean;
  readonly selectors: readonly (readonly string[])[];
}

export interface TrackTypeDefinition {
  readonly id: string;
  readonly appId: string;
  readonly name: string;
}

export interface Definitions {
  readonly pages: readonly PageDefinition[];
  readonly features: readonly FeatureDefinition[];
  readonly trackTypes: readonly TrackTypeDefinition[];
}
