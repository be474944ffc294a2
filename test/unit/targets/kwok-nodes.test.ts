import { describe, expect, it } from 'vitest';
import { kwokNode, RESOURCE_METRICS_PATH_ANNOTATION } from '../../../harness/targets/kwok-nodes.js';
import { onDemandNodes } from '../../../harness/targets/kwok/node-shapes.js';

describe('a kwok node', () => {
  it("points metrics-server at kwok's resource metrics for that node", () => {
    const node = kwokNode(onDemandNodes('m5.large', 1, { prefix: 'it' })[0]!);
    expect(node.metadata?.annotations?.[RESOURCE_METRICS_PATH_ANNOTATION]).toBe(`/metrics/nodes/${node.metadata?.name}/metrics/resource`);
  });
});
