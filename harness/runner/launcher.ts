import { repeatEvery } from '../clock/wall-clock.js';

/**
 * Stops burstlab when the npm process that launched it has gone.
 *
 * `npx burstlab ...` (and `npm exec`, `npm run`) runs the bin as `<script-shell> -c '<command>'`, and forwards
 * SIGINT/SIGTERM to that shell only. With Debian's /bin/sh (dash) the shell stays between npm and burstlab, and on
 * a signal it waits for its child before dying of it: burstlab never hears of it, writes its whole run, and only
 * then does npx exit 130. Two things make the signal reach the real process:
 * - the project's .npmrc sets `script-shell=bash`, and bash runs a lone command by exec: burstlab is npm's own
 *   child, and npm's forwarded signal reaches it (the bin is the process);
 * - this watch, for launchers that die instead of forwarding (npm killed outright, or a shell that dies of the
 *   signal at once): when burstlab was launched by npm and its parent process changes (it was re-parented to init
 *   or a subreaper), it stops as if interrupted. Node cannot ask the kernel for a parent-death signal (prctl), so
 *   it polls getppid(), one cheap call on the main thread's event loop, which a run never blocks (run-job.ts).
 * Only under npm: a `nohup burstlab run ... &` whose shell exits must keep running.
 */
export function watchLauncher(onGone: () => void, pollMs = 100): () => void {
  if (process.env.npm_lifecycle_event === undefined) return () => {};
  const parent = process.ppid;
  // Nothing to watch under pid 1: in a container, npm itself can be pid 1 and, with bash's exec, the parent.
  if (parent <= 1) return () => {};
  const stop = repeatEvery(pollMs, () => {
    if (process.ppid === parent) return;
    stop();
    onGone();
  });
  return stop;
}
