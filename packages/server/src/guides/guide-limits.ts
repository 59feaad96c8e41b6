/** Bounds of a guide and its content; the checks name the one a write passes. */
export const guideLimits = {
  nameLength: 200,
  stepsPerGuide: 20,
  pollsPerGuide: 10,
  blocksPerStep: 40,
  headingLength: 200,
  textLength: 2000,
  labelLength: 80,
  altLength: 300,
  urlLength: 2000,
  selectorLength: 500,
  questionLength: 500,
  choicesPerPoll: 10,
  choiceLength: 100,
  pollIdLength: 40,
  stagedVisitors: 100,
  visitorIdLength: 512,
  maxPriority: 1000,
  maxSnoozeDays: 365,
  /** A create or update body: well above the largest guide the limits above allow to be useful. */
  bodyBytes: 512 * 1024,
} as const;
