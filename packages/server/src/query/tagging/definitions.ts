import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { compiledSelectors } from "./features/feature-service.js";
import { selectorCompilerVersion } from "./features/selector.js";
import { compilePageRule, pageRuleCompilerVersion } from "./pages/page-rule.js";
import { storedRules } from "./pages/page-shape.js";
import { readTaggingRevision } from "./shared/tagging-revision.js";

export { type DiscoveryOutcome, discoverTrackTypes } from "./track-types/discover-track-types.js";

/**
 * A tagged page. A URL (`events.url`, as stored: `https://app.example.com/dashboard/42?tab=1#x`) is on the
 * page when every regex of some `include` list matches it and no `exclude` list matches it in full.
 */
export interface PageDefinition {
  id: string;
  appId: string;
  name: string;
  include: string[][];
  exclude: string[][];
}

/**
 * A tagged feature. A click counts for it when every regex of some `selectors` list matches its
 * `events.element_path`, and, unless `appWide`, its URL is on the page `pageId`.
 */
export interface FeatureDefinition {
  id: string;
  appId: string;
  name: string;
  pageId: string | null;
  appWide: boolean;
  selectors: string[][];
}

/**
 * A track type. `name` is the track event name that its events carry in `events.track_name` (match on it);
 * `displayName` is what people named it, the same unless someone renamed it.
 */
export interface TrackTypeDefinition {
  id: string;
  appId: string;
  name: string;
  displayName: string;
}

export interface Definitions {
  pages: PageDefinition[];
  features: FeatureDefinition[];
  trackTypes: TrackTypeDefinition[];
}

// Every regex here is anchored (^…$), in the subset RE2 (DuckDB regexp_matches, ClickHouse match) and
// JavaScript share: no lookaround, no backreferences, no flags. Matching is case-sensitive but for what the
// compilers spell in both cases ([Hh]…): URL schemes and hosts, element tags.

const cache = new WeakMap<MetadataStore, Map<string, { revision: number; definitions: Definitions }>>();

/** Rules stored by another compiler version are compiled again; one that no longer compiles is left out. */
function pageRegexes(json: string, compiler: number): string[][] {
  return storedRules(json).flatMap((rule) => {
    if (compiler === pageRuleCompilerVersion) return [[...rule.regexes]];
    try {
      return [compilePageRule(rule.rule)];
    } catch {
      return [];
    }
  });
}

function featureRegexes(rules: string, compiled: string, compiler: number): string[][] {
  if (compiler === selectorCompilerVersion) return JSON.parse(compiled) as string[][];
  try {
    return compiledSelectors(JSON.parse(rules) as string[]).compiled;
  } catch {
    return [];
  }
}

async function readDefinitions(metadata: MetadataStore, subscriptionId: string): Promise<Definitions> {
  const db = metadata.db;
  const [pages, features, trackTypes] = await Promise.all([
    db
      .selectFrom("pages")
      .select(["id", "app_id", "name", "rules", "exclude_rules", "compiler"])
      .where("subscription_id", "=", subscriptionId)
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("features")
      .select(["id", "app_id", "name", "page_id", "app_wide", "element_path_rules", "compiled", "compiler"])
      .where("subscription_id", "=", subscriptionId)
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("track_types")
      .select(["id", "app_id", "name", "track_type_name"])
      .where("subscription_id", "=", subscriptionId)
      .where("deleted_at", "is", null)
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
  ]);
  return {
    pages: pages.map((p) => ({
      id: p.id,
      appId: p.app_id,
      name: p.name,
      include: pageRegexes(p.rules, p.compiler),
      exclude: pageRegexes(p.exclude_rules, p.compiler),
    })),
    features: features.map((f) => ({
      id: f.id,
      appId: f.app_id,
      name: f.name,
      pageId: f.page_id,
      appWide: f.app_wide === 1,
      selectors: featureRegexes(f.element_path_rules, f.compiled, f.compiler),
    })),
    trackTypes: trackTypes.map((t) => ({
      id: t.id,
      appId: t.app_id,
      name: t.track_type_name,
      displayName: t.name,
    })),
  };
}

/**
 * The subscription's pages, features and track types with their compiled regexes, for the query compiler.
 * Cached per store and subscription until the tagging revision moves (any change, on any server): a call
 * costs one read of that counter when nothing changed. Treat the answer as read-only; it is shared.
 * Track types come from the store as they are: call discoverTrackTypes first for the newest track events.
 */
export async function loadDefinitions(metadata: MetadataStore, subscriptionId: string): Promise<Definitions> {
  const revision = await readTaggingRevision(metadata.db);
  let bySubscription = cache.get(metadata);
  if (!bySubscription) {
    bySubscription = new Map();
    cache.set(metadata, bySubscription);
  }
  const cached = bySubscription.get(subscriptionId);
  if (cached && cached.revision === revision) return cached.definitions;
  const definitions = await readDefinitions(metadata, subscriptionId);
  bySubscription.set(subscriptionId, { revision, definitions });
  return definitions;
}
