/** Bounds on segments, each refused past with a message that names it. */
export const segmentLimits = {
  nameLength: 500,
  /** As for the profile store's ids. */
  visitorIdLength: 512,
  /** Visitor ids one request may carry (an upload, a replacement, or all operations of a patch together). */
  visitorsPerRequest: 500_000,
  /** 500,000 ids of 40 characters, quoted and separated, fit. */
  bodyBytes: 32 * 1024 * 1024,
  patchOperations: 100,
  /**
   * How long a write holds its segment at most. A write of 500,000 visitors takes a few seconds; a lease left by
   * a server that died mid-write frees the segment after this.
   */
  leaseMs: 120_000,
  /** Rows per INSERT: 2 parameters each, well under SQLite's 32,766 and PostgreSQL's 65,535. */
  rowsPerStatement: 500,
} as const;
