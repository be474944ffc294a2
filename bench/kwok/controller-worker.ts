import { ScenarioClock } from '../../harness/clock/scenario-clock.js';
import { startLiveAutoscaler } from '../../harness/targets/live/autoscaler.js';
import type { LiveAutoscaler } from '../../harness/targets/live/seams.js';
import { Random } from '../../provisioner/runtime/random.js';
import type { FromController, ToController } from './controller-messages.js';

/**
 * A bundled arm's live controller alone in its own process (started by controller-process.ts), so that its CPU and
 * peak RSS are measured as upstream Karpenter's are: from /proc, for nothing but the controller and Node itself.
 * The run's recorder, watches and orchestration stay in the benchmark's process; the controller's decisions come
 * back over IPC, stamped on this process's scenario clock, which begins at the parent's epoch.
 */
let controller: LiveAutoscaler | undefined;
let clock: ScenarioClock | undefined;

const send = (msg: FromController): void => void process.send?.(msg);

async function handle(msg: ToController): Promise<void> {
  switch (msg.type) {
    case 'start': {
      const c = new ScenarioClock(msg.speed, msg.warmUpWallMs);
      clock = c;
      controller = await startLiveAutoscaler(
        {
          kubeconfigPath: msg.kubeconfigPath,
          scenario: msg.scenario,
          clock: c,
          // As run-arm.ts seeds each arm's root stream: the same draws as the controller would make in-process.
          random: new Random(msg.scenario.seed),
          recorder: { emit: (body, atMs) => send({ type: 'event', body, atMs: atMs ?? c.now() }) },
          speed: msg.speed,
          logDir: msg.logDir,
        },
        msg.spec,
      );
      send({ type: 'started', warnings: [...(controller.warnings ?? [])], components: { ...controller.components } });
      return;
    }
    case 'begin':
      clock?.begin(msg.epochMs);
      return;
    case 'stop':
      await controller?.stop();
      send({ type: 'stopped' });
      process.disconnect();
      return;
  }
}

process.on('message', (msg: ToController) => {
  handle(msg).catch((err: unknown) => {
    send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exitCode = 1;
    process.disconnect();
  });
});
// The benchmark is gone (exited, crashed, killed): the IPC channel closes with it, and so does this controller.
process.on('disconnect', () => process.exit(process.exitCode ?? 0));
