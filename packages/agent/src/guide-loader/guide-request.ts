import { compress } from "../jzb/compress.js";

/** Pendo switches the guide request to a POST when its URL would be longer than this (agent-wire.md §7.1). */
export const maxGuideGetLength = 2000;

export interface GuideRequestBody {
  visitorId: string;
  accountId: string | null;
  url: string;
  oldVisitorId?: string;
  metadata: { visitor: object; account: object };
}

/**
 * The guide.json request: `?id=<n>&jzb=…&v=…&ct=…` as a GET, or the same query without `jzb` and a body
 * `{"events": jzb}` as a POST when the URL would be too long.
 */
export function guideRequest(
  endpoint: string,
  id: number,
  body: GuideRequestBody,
  version: string,
  clientTime: number,
  extra = "",
): { url: string; body: string | null } {
  const jzb = compress(body);
  const get = `${endpoint}?id=${id}&jzb=${jzb}&v=${version}&ct=${clientTime}${extra}`;
  if (get.length <= maxGuideGetLength) return { url: get, body: null };
  return {
    url: `${endpoint}?id=${id}&v=${version}&ct=${clientTime}${extra}`,
    body: JSON.stringify({ events: jzb }),
  };
}
