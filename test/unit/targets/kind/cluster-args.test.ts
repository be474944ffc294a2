import { describe, expect, it } from 'vitest';
import { targetsKind } from '../../../../harness/runner/commands/cluster-kind.js';
import { checkClusterName } from '../../../../harness/targets/kind/cluster.js';
import { answerValues } from '../../../../harness/targets/kind/scripts.js';
import { UsageError } from '../../../../harness/runner/errors.js';

describe('the kind cluster command line', () => {
  it('is chosen by --target kind in either spelling, and not by kwok', () => {
    expect(targetsKind(['up', '--target', 'kind'])).toBe(true);
    expect(targetsKind(['status', '--target=kind'])).toBe(true);
    expect(targetsKind(['up', '--target', 'kwok', '--dir', 'kind'])).toBe(false);
  });

  it('refuses a cluster name Docker could not use for containers and networks', () => {
    expect(checkClusterName('burstlab-it')).toBe('burstlab-it');
    expect(() => checkClusterName('Burstlab_it')).toThrow(UsageError);
    expect(() => checkClusterName('-x')).toThrow(UsageError);
  });
});

describe("the kind scripts' answers", () => {
  it('are read from their KEY=value lines, ignoring any other output', () => {
    const values = answerValues('NODE_IMAGE=burstlab.local/kind-node:v1.36.3-0123456789ab\nsome log line\nWORKLOAD_IMAGE=burstlab.local/workload:ab\n');
    expect(values.get('NODE_IMAGE')).toBe('burstlab.local/kind-node:v1.36.3-0123456789ab');
    expect(values.get('WORKLOAD_IMAGE')).toBe('burstlab.local/workload:ab');
    expect(values.size).toBe(2);
  });
});
