/** A guide's states: only `public` guides are shown to everyone eligible, `staged` ones to their staged visitors. */
export const guideStates = ["draft", "staged", "public", "disabled"] as const;
export type GuideState = (typeof guideStates)[number];

/** How a guide is shown: on its own (`auto`), from a badge, on a click of an element (`dom`), or by `pendo.showGuideById`. */
export const guideLaunchMethods = ["auto", "badge", "dom", "api"] as const;
export type GuideLaunchMethod = (typeof guideLaunchMethods)[number];

export const guideStepTypes = ["lightbox", "tooltip", "banner"] as const;
export type GuideStepType = (typeof guideStepTypes)[number];

export const guidePollTypes = ["yesNo", "nps", "freeText", "multipleChoice"] as const;
export type GuidePollType = (typeof guidePollTypes)[number];
