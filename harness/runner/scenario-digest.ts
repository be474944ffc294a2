import { createHash } from 'node:crypto';
import type { Scenario } from '../../scenarios/schema/scenario.js';

/**
 * A fingerprint of what a scenario asks for, recorded in run.json so `compare` can tell runs of different
 * scenarios apart even when they share a name: the validated scenario with its defaults applied, without the file
 * path (moving a file changes nothing) and the seed (runs on different seeds are the same scenario).
 */
export function scenarioDigest(s: Scenario): string {
  const { file: _file, seed: _seed, ...rest } = s;
  return `sha256:${createHash('sha256').update(JSON.stringify(rest)).digest('hex')}`;
}
