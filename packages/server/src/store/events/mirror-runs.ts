import type { ProfileStore } from "../profiles/profile-store.js";
import type { ProfileMirror, ProfileMirrorCopied } from "./profile-mirror.js";

/** A run of a mirror's copy: `reading` once it asked the profile store for changes. */
export type MirrorRun = { reading: boolean };

/**
 * `ProfileMirror.sync` over an engine's copy: concurrent calls share one run, and a call made while a run is
 * already reading waits for it and then for one more run, shared by every call that arrived meanwhile (the
 * run reading may have missed a change committed just before the call).
 */
export function coalescedMirror(
  copyChanges: (run: MirrorRun, profiles: ProfileStore) => Promise<ProfileMirrorCopied>,
): ProfileMirror {
  let running: { readonly run: MirrorRun; readonly done: Promise<ProfileMirrorCopied> } | null = null;
  let queued: Promise<ProfileMirrorCopied> | null = null;

  function sync(profiles: ProfileStore): Promise<ProfileMirrorCopied> {
    // A run that has not read the profile store yet covers this caller's changes too.
    if (running && !running.run.reading) return running.done;
    if (running) {
      queued ??= running.done
        .then(
          () => undefined,
          () => undefined,
        )
        .then(() => {
          queued = null;
          return sync(profiles);
        });
      return queued;
    }
    const run: MirrorRun = { reading: false };
    const done = copyChanges(run, profiles).finally(() => {
      if (running?.run === run) running = null;
    });
    running = { run, done };
    return done;
  }

  return { sync };
}
