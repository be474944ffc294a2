import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { kwokStagesConfig, NO_DELAYS } from '../../harness/targets/kwok/stages.js';
import { kindDir } from '../../harness/targets/kwok/tools.js';

function delays(config: string): Record<string, unknown> {
  return Object.fromEntries(parseAllDocuments(config).map((d) => [d.getIn(['metadata', 'name']), (d.toJS() as { spec: { delay?: unknown } }).spec.delay]));
}

const stagesDir = join(kindDir(), 'kwok', 'stages');

describe('the kwok stages config', () => {
  it('holds node and pod lifecycle stages and the node-not-ready chaos stage', () => {
    expect(Object.keys(delays(kwokStagesConfig(stagesDir, NO_DELAYS))).sort()).toEqual(
      ['node-heartbeat-with-lease', 'node-initialize', 'node-not-ready', 'pod-complete', 'pod-delete', 'pod-ready'],
    );
  });

  it("sets the cluster's boot, start-up and shutdown delays", () => {
    const d = delays(kwokStagesConfig(stagesDir, { nodeReadyMs: 30_000, podReadyMs: 1500, podReadyJitterMs: 0, podDeleteMs: 200 }));
    expect(d['node-initialize']).toMatchObject({ durationMilliseconds: 30_000 });
    expect(d['pod-ready']).toMatchObject({ durationMilliseconds: 1500 });
    expect(d['pod-ready']).not.toHaveProperty('jitterDurationMilliseconds');
    expect(d['pod-delete']).toMatchObject({ durationMilliseconds: 200 });
  });

  it("turns start-up jitter into kwok's upper bound, duration plus jitter", () => {
    const d = delays(kwokStagesConfig(stagesDir, { ...NO_DELAYS, podReadyMs: 1000, podReadyJitterMs: 500 }));
    expect(d['pod-ready']).toMatchObject({ durationMilliseconds: 1000, jitterDurationMilliseconds: 1500 });
  });
});
