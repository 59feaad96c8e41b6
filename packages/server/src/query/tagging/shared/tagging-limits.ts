/** Bounds on what a page, feature or track type may hold; each is checked with a message that names it. */
export const taggingLimits = {
  /** A page's or feature's name, after trimming. */
  nameLength: 200,
  /** A track type's names: as long as a track event's name may be (ingest keeps 1,024 characters). */
  trackTypeNameLength: 1024,
  /** Include rules of one page; exclude rules have the same bound. */
  rulesPerPage: 50,
  designerHintLength: 1000,
  /** Selectors (`elementPathRules`) of one feature. */
  selectorsPerFeature: 20,
  /** Entries of a track type's `trackTypeRules` and `eventPropertyNameList`, and the length of each. */
  listEntries: 100,
  listEntryLength: 1024,
  /** Ids in one `?id=a,b` list. */
  idsPerRequest: 1000,
} as const;
