import type { EventBody } from '../../provisioner/runtime/events.js';
import type { AutoscalerSpec } from '../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';

/** What the benchmark tells the controller process (controller-process.ts -> controller-worker.ts). */
export type ToController =
  | { type: 'start'; kubeconfigPath: string; scenario: Scenario; spec: AutoscalerSpec; speed: number; logDir: string; warmUpWallMs: number }
  /** t = 0 of the parent's scenario clock, as a wall epoch: the child's clock begins there too. */
  | { type: 'begin'; epochMs: number }
  | { type: 'stop' };

/** What the controller process answers. */
export type FromController =
  | { type: 'started'; warnings: string[]; components: Record<string, string> }
  /** A decision of the controller, stamped on its own (aligned) scenario clock. */
  | { type: 'event'; body: EventBody; atMs: number }
  | { type: 'failed'; message: string }
  | { type: 'stopped' };
