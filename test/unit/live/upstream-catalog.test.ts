import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../provisioner/catalog/catalog.js';
import { cpuMilli, memoryMiB } from '../../../harness/recorder/live-quantity.js';
import { KWOK_PROVIDER_OVERHEAD, upstreamInstanceTypes, type KwokInstanceType } from '../../../harness/targets/live/upstream-catalog.js';

const catalog = new Catalog({ region: 'us-east-1', zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] });
const converted = upstreamInstanceTypes(catalog);
const byName = new Map(converted.map((t) => [t.name, t]));

/** The single value an offering requires for `key`. */
const required = (o: KwokInstanceType['offerings'][number], key: string): string | undefined => o.Requirements.find((r) => r.key === key)?.values[0];

describe("the bundled catalog as Karpenter kwok's instance types", () => {
  it('keeps every instance type of the catalog, by name', () => {
    expect(converted.map((t) => t.name)).toEqual(catalog.names());
  });

  it("gives each type the bundled allocatable once the provider's overhead is subtracted", () => {
    for (const t of catalog.types) {
      const r = byName.get(t.name)!.resources;
      expect({ cpu: cpuMilli(r.cpu) - KWOK_PROVIDER_OVERHEAD.cpuMilli, memory: memoryMiB(r.memory) - KWOK_PROVIDER_OVERHEAD.memoryMiB, pods: Number(r.pods) }, t.name).toEqual({
        cpu: t.allocatable.cpu,
        memory: t.allocatable.memory,
        pods: t.allocatable.pods,
      });
    }
  });

  it('offers each type in the same zones and capacity types at the same prices, modelled Spot included', () => {
    for (const t of catalog.types) {
      const offerings = byName.get(t.name)!.offerings.map((o) => ({ zone: required(o, 'topology.kubernetes.io/zone'), capacityType: required(o, 'karpenter.sh/capacity-type'), pricePerHour: o.Price }));
      expect(offerings, t.name).toEqual(t.offerings);
    }
    expect(converted.some((t) => t.offerings.some((o) => required(o, 'karpenter.sh/capacity-type') === 'spot'))).toBe(true);
  });

  it('puts the AWS instance labels on every offering, so NodePool requirements on them select offerings', () => {
    const m5 = byName.get('m5.large')!;
    for (const o of m5.offerings) {
      expect(required(o, 'karpenter.k8s.aws/instance-size')).toBe('large');
      expect(required(o, 'karpenter.k8s.aws/instance-family')).toBe('m5');
      expect(required(o, 'karpenter.k8s.aws/instance-category')).toBe('m');
      expect(required(o, 'karpenter.k8s.aws/instance-cpu')).toBe('2');
      expect(required(o, 'topology.kubernetes.io/region')).toBe('us-east-1');
    }
    expect(m5).toMatchObject({ architecture: 'amd64', operatingSystems: ['linux'] });
    expect(m5.offerings[0]!.Requirements.map((r) => r.key)).not.toContain('node.kubernetes.io/instance-type');
  });

  it('declares GPUs only on types that have them', () => {
    const gpu = catalog.types.find((t) => t.allocatable.gpu > 0)!;
    expect(byName.get(gpu.name)!.resources['nvidia.com/gpu']).toBe(String(gpu.allocatable.gpu));
    expect(byName.get('m5.large')!.resources['nvidia.com/gpu']).toBeUndefined();
  });
});
