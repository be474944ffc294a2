import { describe, expect, it } from 'vitest';
import { fleetInput, FleetSpecError, MAX_FLEET_OVERRIDES, type FleetSpec } from '../../../harness/targets/eks/fleet.js';

function spec(o: Partial<FleetSpec> = {}): FleetSpec {
  return {
    launchTemplate: { name: 'nodes' }, capacityType: 'spot',
    overrides: [{ type: 'm5.large', zone: 'us-east-1a', subnetId: 'subnet-a' }],
    tags: [{ Key: 'burstlab.dev/run', Value: 'r' }], clientToken: 't', ...o,
  };
}

describe('the CreateFleet request', () => {
  it('is an instant fleet of one, price-capacity-optimized for Spot', () => {
    const input = fleetInput(spec());
    expect(input).toMatchObject({
      Type: 'instant', ClientToken: 't',
      TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: 'spot', SpotTargetCapacity: 1 },
      SpotOptions: { AllocationStrategy: 'price-capacity-optimized' },
    });
    expect(input.OnDemandOptions).toBeUndefined();
  });

  it('asks for the lowest price on demand', () => {
    expect(fleetInput(spec({ capacityType: 'on-demand' }))).toMatchObject({
      TargetCapacitySpecification: { DefaultTargetCapacityType: 'on-demand', OnDemandTargetCapacity: 1 },
      OnDemandOptions: { AllocationStrategy: 'lowest-price' },
    });
  });

  it('names the user\'s launch template at its default version unless one is given', () => {
    expect(fleetInput(spec()).LaunchTemplateConfigs?.[0]?.LaunchTemplateSpecification).toEqual({ LaunchTemplateName: 'nodes', Version: '$Default' });
    expect(fleetInput(spec({ launchTemplate: { id: 'lt-1', version: '3' } })).LaunchTemplateConfigs?.[0]?.LaunchTemplateSpecification).toEqual({ LaunchTemplateId: 'lt-1', Version: '3' });
  });

  it('tags the instance, its volumes and the fleet', () => {
    expect(fleetInput(spec()).TagSpecifications?.map((t) => t.ResourceType)).toEqual(['instance', 'volume', 'fleet']);
  });

  it(`accepts ${MAX_FLEET_OVERRIDES} overrides and refuses one more`, () => {
    const many = (n: number): FleetSpec['overrides'] => Array.from({ length: n }, (_, i) => ({ type: 'm5.large', zone: 'us-east-1a', subnetId: `subnet-${i}` }));
    expect(fleetInput(spec({ overrides: many(MAX_FLEET_OVERRIDES) })).LaunchTemplateConfigs?.[0]?.Overrides).toHaveLength(MAX_FLEET_OVERRIDES);
    expect(() => fleetInput(spec({ overrides: many(MAX_FLEET_OVERRIDES + 1) }))).toThrow(FleetSpecError);
  });

  it('refuses reserved capacity, which EC2 launches otherwise', () => {
    expect(() => fleetInput(spec({ capacityType: 'reserved' }))).toThrow(/reserved capacity/);
  });
});
