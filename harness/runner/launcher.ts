import { repeatEvery } from '../clock/wall-clock.js';

/**
 * Stops burstlab when the npm process that launched it has gone.
 *
 * `npx burstlab ...` (and `npm exec`, `npm run`) runs the bin through `sh -c`, and npm forwards SIGINT/SIGTERM to
 * that shell only. The shell dies of the signal without passing it on, npm exits 130, and burstlab, re-parented,
 * used to carry on and write its run. npm cannot be told to signal the whole tree, and Node cannot ask the kernel
 * for a parent-death signal (prctl), so burstlab watches its parent: when it was launched by npm and its parent
 * process changes (the shell died and burstlab was re-parented to init or a subreaper), it stops as if interrupted.
 * Only under npm: a `nohup burstlab run ... &` whose shell exits must keep running.
 *
 * Polling `process.ppid` is one getppid() call; it runs on the event loop, like the signal handlers, so the long
 * phases' checkpoints serve both. Returns the way to stop watching.
 */
export function watchLauncher(onGone: () => void, pollMs = 100): () => void {
  if (process.env.npm_lifecycle_event === undefined) return () => {};
  const parent = process.ppid;
  // npm's shell is never pid 1: re-parented to init already, so the launcher died before this process got here.
  if (parent <= 1) {
    queueMicrotask(onGone);
    return () => {};
  }
  const stop = repeatEvery(pollMs, () => {
    if (process.ppid === parent) return;
    stop();
    onGone();
  });
  return stop;
}
