import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioClock } from '../../harness/clock/scenario-clock.js';
import { sleep } from '../../harness/clock/wall-clock.js';
import type { LiveAutoscaler, LiveContext } from '../../harness/targets/live/seams.js';
import type { AutoscalerSpec } from '../../scenarios/schema/scenario-schema.js';
import type { FromController, ToController } from './controller-messages.js';
import { processUsage, type ProcessUsage } from './process-usage.js';

/** A controller measured from outside: its process's usage when it was ready and when it was told to stop. */
export interface MeasuredController extends LiveAutoscaler {
  readonly pid: number;
  /** Usage once the controller had synced its informers and was acting: what start-up alone cost. */
  readonly atReady: ProcessUsage;
  /** Usage just before the stop (CPU so far, peak RSS over its whole life); undefined until it stopped. */
  readonly atEnd: ProcessUsage | undefined;
  /** What the controller reported failing after it had started (its run is then not a measurement). */
  readonly failures: readonly string[];
}

const WORKER = fileURLToPath(new URL('./controller-worker.js', import.meta.url));
/** How long the controller may take to stop its loops and watches before it is killed. */
const STOP_GRACE_MS = 10_000;

/**
 * Starts a bundled arm's live controller (harness/targets/live/autoscaler.ts) in a Node process of its own
 * (controller-worker.ts), on the arm's cluster, its decisions relayed to `ctx.recorder`. The child exits when its
 * IPC channel closes, so it never outlives the benchmark, however the benchmark ends.
 */
export async function startControllerProcess(ctx: LiveContext, spec: AutoscalerSpec): Promise<MeasuredController> {
  const clock = ctx.clock;
  if (!(clock instanceof ScenarioClock)) throw new Error('a controller process follows a ScenarioClock: run it through runLiveArm');
  const logPath = join(ctx.logDir, `${spec.name}-controller-process.log`);
  const fd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = fork(WORKER, [], { serialization: 'advanced', stdio: ['ignore', fd, fd, 'ipc'] });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid!;
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve(void (exited = true))));
  let stoppedAnswer: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stoppedAnswer = resolve));
  const send = (msg: ToController): void => void (child.connected ? child.send(msg) : undefined);

  let atEnd: ProcessUsage | undefined;
  const failures: string[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (exited) return;
      atEnd = processUsage(pid);
      send({ type: 'stop' });
      await Promise.race([Promise.all([stopped, exit]), sleep(STOP_GRACE_MS)]);
      if (!exited) {
        child.kill('SIGKILL');
        await exit;
      }
    })());

  try {
    const started = await new Promise<Extract<FromController, { type: 'started' }>>((resolve, reject) => {
      child.on('message', (msg: FromController) => {
        if (msg.type === 'event') ctx.recorder.emit(msg.body, msg.atMs);
        else if (msg.type === 'started') resolve(msg);
        else if (msg.type === 'stopped') stoppedAnswer();
        else {
          failures.push(msg.message);
          reject(new Error(`the ${spec.name} controller process failed: ${msg.message}`));
        }
      });
      void exit.then(() => reject(new Error(`the ${spec.name} controller process exited before it was ready; see ${logPath}`)));
      send({ type: 'start', kubeconfigPath: ctx.kubeconfigPath, scenario: ctx.scenario, spec, speed: ctx.speed, logDir: ctx.logDir, warmUpWallMs: Math.max(0, -clock.now() / ctx.speed) });
    });
    clock.onBegin((epochMs) => send({ type: 'begin', epochMs }));
    const atReady = processUsage(pid);
    return {
      pid,
      atReady,
      get atEnd() {
        return atEnd;
      },
      failures,
      stop,
      warnings: started.warnings,
      components: started.components,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
