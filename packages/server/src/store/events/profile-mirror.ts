import type { ProfileStore } from "../profiles/profile-store.js";

/** How many records one `sync` copied into the event engine. */
export interface ProfileMirrorCopied {
  readonly visitors: number;
  readonly accounts: number;
}

/**
 * The event engine's copy of the profile store's visitors and accounts, for analytic queries that join them
 * onto events (or read them as a source) in one statement. Ingest never writes it: a query brings it up to date
 * first, copying what `ProfileStore.changesSince` answers past the mirror's cursor. Rows and cursor move
 * together, so a sync cut short copies some changes again next time and never skips one.
 *
 * The tables (the query compiler's contract; times epoch ms, metadata groups JSON object text):
 * `visitor_profiles (subscription_id, visitor_id, first_visit, last_visit, last_updated, last_app_id,
 * last_account_id, last_user_agent, last_browser_name, last_browser_version, last_operating_system,
 * last_server_name, agent_metadata, custom_metadata)` and `account_profiles (subscription_id, account_id,
 * first_visit, last_visit, last_updated, agent_metadata, custom_metadata)`.
 */
export interface ProfileMirror {
  /**
   * Brings the event engine's copy of visitors and accounts up to date with the profile store; concurrent calls
   * share one run. Returns how many rows it copied.
   *
   * A call made while a run is going waits for it and then for one more run, shared by every call that
   * arrived meanwhile: a run already reading may have missed a change committed just before the call, and a
   * caller must see everything written before it called.
   */
  sync(profiles: ProfileStore): Promise<ProfileMirrorCopied>;
}
