import { describe, expect, it } from 'vitest';
import { kubeReservedCpuMilli, kubeReservedMemoryMiB } from '../../../provisioner/catalog/overhead.js';
import { spotPrice } from '../../../provisioner/catalog/spot-price.js';
import { instanceType, testCatalog } from '../../support/builders.js';

describe('the instance catalog', () => {
  it('reserves CPU for the kubelet by the EKS AMI tiers', () => {
    expect(kubeReservedCpuMilli(1)).toBe(60);
    expect(kubeReservedCpuMilli(2)).toBe(70);
    expect(kubeReservedCpuMilli(4)).toBe(80);
    expect(kubeReservedCpuMilli(8)).toBe(90);
  });

  it('reserves 11 MiB per pod plus 255 MiB of memory for the kubelet', () => {
    expect(kubeReservedMemoryMiB(29)).toBe(574);
  });

  it('derives m5.large allocatable from capacity minus reservations and the eviction threshold', () => {
    const t = instanceType('m5.large');
    expect(t.capacity).toEqual({ cpu: 2000, memory: Math.floor(8192 * 0.925), pods: 29, gpu: 0 });
    expect(t.allocatable.cpu).toBe(2000 - 70 - 100);
    expect(t.allocatable.memory).toBe(Math.floor(8192 * 0.925) - 574 - 100 - 100);
  });

  it('takes max pods from the ENI limits', () => {
    expect(instanceType('m5.large').allocatable.pods).toBe(29);
    expect(instanceType('m5.24xlarge').allocatable.pods).toBe(737);
  });

  it('offers Spot and on-demand per zone, cheapest first', () => {
    const t = instanceType('m5.large');
    expect(new Set(t.offerings.map((o) => o.capacityType))).toEqual(new Set(['spot', 'on-demand']));
    const prices = t.offerings.map((o) => o.pricePerHour);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });

  it('models Spot deterministically, 40-90% below on-demand, different per zone', () => {
    const a = spotPrice('m5.large', 'm5', 'us-east-1a', 0.096);
    expect(spotPrice('m5.large', 'm5', 'us-east-1a', 0.096)).toBe(a);
    expect(a).toBeGreaterThan(0.096 * 0.1);
    expect(a).toBeLessThan(0.096 * 0.6);
    expect(spotPrice('m5.large', 'm5', 'us-east-1b', 0.096)).not.toBe(a);
  });

  it('labels types with the well-known Karpenter keys', () => {
    expect(instanceType('c6i.4xlarge').labels).toMatchObject({
      'karpenter.k8s.aws/instance-category': 'c',
      'karpenter.k8s.aws/instance-family': 'c6i',
      'karpenter.k8s.aws/instance-generation': '6',
      'karpenter.k8s.aws/instance-size': '4xlarge',
      'karpenter.k8s.aws/instance-cpu': '16',
      'kubernetes.io/arch': 'amd64',
    });
  });

  it('keeps only types offered in the cluster zones', () => {
    expect(testCatalog().types.length).toBeGreaterThan(500);
    expect(testCatalog().types.every((t) => t.offerings.every((o) => ['us-east-1a', 'us-east-1b', 'us-east-1c'].includes(o.zone)))).toBe(true);
  });
  it('stops offering a withdrawn type and a withdrawn offering, in a fork only, keeping what it handed out before', () => {
    const shared = testCatalog();
    const catalog = shared.fork();
    const m5 = catalog.get('m5.large')!;
    const zone = m5.offerings[0]!.zone;
    const removed = catalog.withdraw({ instanceTypes: ['c5.xlarge'], offerings: [{ instanceType: 'm5.large', zone, capacityType: 'spot' }] });
    expect(removed).toContain(`m5.large/${zone}/spot`);
    expect(removed.filter((k) => k.startsWith('c5.xlarge/'))).toHaveLength(shared.get('c5.xlarge')!.offerings.length);
    expect(catalog.get('c5.xlarge')).toBeUndefined();
    expect(catalog.types.some((t) => t.name === 'c5.xlarge')).toBe(false);
    expect(catalog.offers('m5.large', zone, 'spot')).toBe(false);
    expect(catalog.offers('m5.large', zone, 'on-demand')).toBe(true);
    expect(catalog.get('m5.large')!.offerings).toHaveLength(m5.offerings.length - 1);
    expect(m5.offerings.some((o) => o.zone === zone && o.capacityType === 'spot')).toBe(true);
    expect(shared.offers('m5.large', zone, 'spot')).toBe(true);
    expect(shared.get('c5.xlarge')).toBeDefined();
  });
});
