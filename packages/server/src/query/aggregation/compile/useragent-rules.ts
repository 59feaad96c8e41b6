/**
 * How the `useragent` stage reads a user agent: the first rule whose pattern matches names the browser (its
 * version is the pattern's capture), likewise the operating system; the device type from its own patterns.
 * Data, not code, so the SQL and the in-memory reference read user agents the same way. Patterns are the
 * common subset of RE2 and JavaScript.
 */
export const browserRules: readonly { name: string; pattern: string }[] = [
  { name: "Edge", pattern: "Edg(?:e|A|iOS)?/([0-9.]+)" },
  { name: "Opera", pattern: "(?:OPR|Opera)/([0-9.]+)" },
  { name: "Samsung Internet", pattern: "SamsungBrowser/([0-9.]+)" },
  { name: "Chrome", pattern: "(?:Chrome|CriOS)/([0-9.]+)" },
  { name: "Firefox", pattern: "(?:Firefox|FxiOS)/([0-9.]+)" },
  { name: "Safari", pattern: "Version/([0-9.]+).*Safari/" },
  { name: "Internet Explorer", pattern: "(?:MSIE |Trident/.*rv:)([0-9.]+)" },
];

export const osRules: readonly { name: string; pattern: string }[] = [
  { name: "iOS", pattern: "(iPhone|iPad|iPod)" },
  { name: "Android", pattern: "(Android)" },
  { name: "Chrome OS", pattern: "(CrOS)" },
  { name: "Windows", pattern: "(Windows)" },
  { name: "Mac OS", pattern: "(Macintosh|Mac OS X)" },
  { name: "Linux", pattern: "(Linux)" },
];

export const deviceRules: readonly { name: string; pattern: string }[] = [
  { name: "tablet", pattern: "(iPad|Tablet)" },
  { name: "mobile", pattern: "(Mobi|iPhone|Android)" },
];

/** The device type when no device rule matches. */
export const defaultDevice = "desktop";
