import type { BenchSuite } from '../suite.js';
import { consolidationBench } from './consolidation.js';
import { karpenterAnchor } from './karpenter-anchor.js';
import { kwokControlPlane } from './kwok-control-plane.js';
import { kwokFidelity } from './kwok-fidelity.js';
import { kwokProvisioner } from './kwok-provisioner.js';
import { reportSuite } from './report.js';
import { scaleSuite } from './scale.js';
import { simMarketDay } from './sim-market-day.js';
import { solverBench } from './solver.js';

/** Every benchmark suite, in the order `npm run bench` runs them. */
export const suites: BenchSuite[] = [
  simMarketDay,
  solverBench,
  consolidationBench,
  kwokControlPlane,
  kwokProvisioner,
  kwokFidelity,
  reportSuite,
  scaleSuite,
  karpenterAnchor,
];
